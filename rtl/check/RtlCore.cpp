//===- RtlCore.cpp - The Verilated RTL neurocore, driven from C++ ---------===//
//
// The neurocore is Verilated once per profile (RtlCoreSmall.cpp,
// RtlCoreLoihi1.cpp, both from RtlVariant.inc). RtlCore picks the build
// whose generated package matches the profile and forwards to its model.
//
//===----------------------------------------------------------------------===//
#include "cajal/Rtl/RtlCore.h"

#include "RtlVariant.h"

namespace cajal::rtl {

namespace {

std::vector<const detail::RtlVariant *> variants() {
  return {&detail::smallVariant(), &detail::loihi1Variant()};
}

} // namespace

Status checkRtlProfile(const chip::Profile &profile) {
  const detail::RtlVariant *named = nullptr;
  for (const detail::RtlVariant *v : variants()) {
    if (v->check(profile))
      return Status::ok();
    if (v->build.profile == profile.name)
      named = v;
  }
  return (named ? named : variants().front())->check(profile);
}

std::vector<RtlBuild> RtlCore::builds() {
  std::vector<RtlBuild> out;
  for (const detail::RtlVariant *v : variants())
    out.push_back(v->build);
  return out;
}

Result<std::unique_ptr<RtlCore>> RtlCore::create(const chip::Core &core,
                                                 const chip::Profile &profile) {
  for (const detail::RtlVariant *v : variants()) {
    if (!v->check(profile))
      continue;
    auto m = v->create(core);
    if (!m)
      return m.takeError();
    return std::unique_ptr<RtlCore>(new RtlCore(std::move(*m)));
  }
  return makeError(checkRtlProfile(profile).error());
}

RtlCore::RtlCore(std::unique_ptr<detail::RtlModel> m) : model(std::move(m)) {}
RtlCore::~RtlCore() = default;

RtlStep RtlCore::step(const std::vector<uint32_t> &axons) {
  return model->step(axons);
}
chip::CompartmentState RtlCore::state(uint32_t c) { return model->state(c); }
uint64_t RtlCore::cycles() const { return model->cycles(); }
Status RtlCore::openTrace(const std::string &vcdPath) {
  return model->openTrace(vcdPath);
}

} // namespace cajal::rtl
