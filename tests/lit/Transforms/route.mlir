// RUN: cajal-opt %s --split-input-file --nc-route -verify-diagnostics | FileCheck %s

// nc-route alone on placed cores: hops are the Manhattan distance of tiles.
nc.chip @placed attributes {network = @net, profile = "loihi1"} {
  nc.core @a attributes {x = 0 : i64, y = 0 : i64, slot = 0 : i64} {
  }
  nc.core @b attributes {x = 3 : i64, y = 2 : i64, slot = 1 : i64} {
  }
  nc.route @a -> @b {axons = 7 : i64}
  nc.route @b -> @a {axons = 2 : i64, hops = 99 : i64}
}
// CHECK-LABEL: nc.chip @placed
// CHECK: nc.route @a -> @b {axons = 7 : i64, hops = 5 : i64}
// CHECK-NEXT: nc.route @b -> @a {axons = 2 : i64, hops = 5 : i64}

// -----

nc.chip @unplaced attributes {network = @net, profile = "loihi1"} {
  // expected-error @+1 {{is not placed; run nc-place first}}
  nc.core @a {
  }
}
