// RUN: cajal-opt %s --nc-place --nc-route -verify-diagnostics -mlir-print-op-on-diagnostic=false | FileCheck %s

// A ring of six cores with one weak link on loihi1 (4 cores per tile): the
// best placement cuts the ring at the weak link and at one strong link, so
// the cost is 100 + 1 axons x 1 hop. Routes between the same cores merge.
// expected-remark @+1 {{placed 6 cores, cost 101 (axons x hops)}}
nc.chip @ring attributes {network = @net, profile = "loihi1"} {
  nc.core @c0 {
  }
  nc.core @c1 {
  }
  nc.core @c2 {
  }
  nc.core @c3 {
  }
  nc.core @c4 {
  }
  nc.core @c5 {
  }
  nc.route @c0 -> @c1 {axons = 100 : i64}
  nc.route @c1 -> @c2 {axons = 100 : i64}
  nc.route @c2 -> @c3 {axons = 100 : i64}
  nc.route @c3 -> @c4 {axons = 100 : i64}
  nc.route @c4 -> @c5 {axons = 100 : i64}
  nc.route @c5 -> @c0 {axons = 1 : i64}
  nc.route @c0 -> @c1 {axons = 5 : i64}
}
// CHECK-LABEL: nc.chip @ring
// CHECK-NEXT: nc.core @c0 attributes {slot = 1 : i64, x = 0 : i64, y = 0 : i64}
// CHECK: nc.core @c1 attributes {slot = 0 : i64, x = 0 : i64, y = 0 : i64}
// CHECK: nc.core @c2 attributes {slot = 2 : i64, x = 0 : i64, y = 0 : i64}
// CHECK: nc.core @c3 attributes {slot = 3 : i64, x = 0 : i64, y = 0 : i64}
// CHECK: nc.core @c4 attributes {slot = 0 : i64, x = 1 : i64, y = 0 : i64}
// CHECK: nc.core @c5 attributes {slot = 1 : i64, x = 1 : i64, y = 0 : i64}
// CHECK: nc.route @c0 -> @c1 {axons = 105 : i64, hops = 0 : i64}
// CHECK-NEXT: nc.route @c1 -> @c2 {axons = 100 : i64, hops = 0 : i64}
// CHECK-NEXT: nc.route @c2 -> @c3 {axons = 100 : i64, hops = 0 : i64}
// CHECK-NEXT: nc.route @c3 -> @c4 {axons = 100 : i64, hops = 1 : i64}
// CHECK-NEXT: nc.route @c4 -> @c5 {axons = 100 : i64, hops = 0 : i64}
// CHECK-NEXT: nc.route @c5 -> @c0 {axons = 1 : i64, hops = 1 : i64}
// CHECK-NEXT: }
