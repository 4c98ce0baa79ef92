//===- CajalModule.cpp - The `cajal` Python module (pybind11) -------------===//
//
// cajal._cajal: compile a model, load and save chip images, run them on every
// engine, with numpy arrays in and out. It calls the code `cajal` runs (the
// same front end, pipeline, engines and recording loop), so its results and
// its error messages are the command line's. The GIL is released while a
// model compiles and while an engine runs; Ctrl-C (any pending Python signal)
// stops a run after its current step and raises KeyboardInterrupt.
//
//===----------------------------------------------------------------------===//
#include "FrontEnd.h"

#include "cajal/Chip/Image.h"
#include "cajal/Chip/ImageJson.h"
#include "cajal/Dialect/SNN/SNNOps.h"
#include "cajal/Emulator/RecordRun.h"
#include "cajal/Emulator/SpikeIO.h"
#include "cajal/Golden/GoldenRun.h"
#include "cajal/Reference/ReferenceRun.h"
#include "cajal/SystemC/PowerReport.h"
#include "cajal/SystemC/SystemCRun.h"
#include "cajal/Transforms/FloatEngine.h"
#include "cajal/Transforms/Passes.h"
#include "cajal/Transforms/Pipeline.h"

#include "mlir/Pass/PassManager.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace py = pybind11;
using namespace cajal;

namespace {

/// Raised as cajal.Error: what the command line prints after "cajal: error: "
/// (or the compiler's diagnostics, with file, line and column).
struct CajalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string &message) {
  std::string text = message;
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  throw CajalError(text);
}

template <typename T> T check(Result<T> result) {
  if (!result)
    fail(result.error());
  return std::move(*result);
}
void check(const Status &status) {
  if (!status)
    fail(status.error());
}

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    fail(path + ": " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

/// A directory for the compiler's outputs, removed with its files.
class ScratchDirectory {
public:
  ScratchDirectory() {
    llvm::SmallString<128> dir;
    if (std::error_code ec =
            llvm::sys::fs::createUniqueDirectory("cajal-python", dir))
      fail("cannot create a temporary directory: " + ec.message());
    path = std::string(dir);
  }
  ~ScratchDirectory() {
    for (const char *name : {"image.cjimg", "fit.json"})
      llvm::sys::fs::remove(file(name));
    llvm::sys::fs::remove(path);
  }
  ScratchDirectory(const ScratchDirectory &) = delete;
  ScratchDirectory &operator=(const ScratchDirectory &) = delete;
  std::string file(const char *name) const { return path + "/" + name; }

private:
  std::string path;
};

/// The model's fit report as a dict (json.loads); None without one.
py::object parseJson(const std::string &text) {
  if (text.empty())
    return py::none();
  return py::module_::import("json").attr("loads")(text);
}

/// A numpy array that owns `values` (no copy): rows x columns, or (with no
/// columns) one dimension.
template <typename T>
py::array_t<T> ownedArray(std::vector<T> values,
                          std::optional<size_t> columns = std::nullopt) {
  auto *owned = new std::vector<T>(std::move(values));
  py::capsule free(owned,
                   [](void *p) { delete static_cast<std::vector<T> *>(p); });
  if (!columns)
    return py::array_t<T>({owned->size()}, {sizeof(T)}, owned->data(), free);
  const size_t rows = *columns ? owned->size() / *columns : 0;
  return py::array_t<T>({rows, *columns}, {*columns * sizeof(T), sizeof(T)},
                        owned->data(), free);
}

/// The power report of a SystemC run.
struct Power {
  systemc::PowerReport report;

  double totalEnergyPJ() const { return report.energy.total(); }
  double dynamicEnergyPJ() const { return report.energy.dynamic(); }
  double staticEnergyPJ() const { return report.energy.staticEnergy; }
  py::object byKind() const {
    return parseJson(systemc::energyByKindJson(report.energy));
  }
  py::array_t<uint64_t> cyclesPerStep() const {
    std::vector<uint64_t> cycles;
    cycles.reserve(report.stepTimes.size());
    for (const systemc::StepTiming &t : report.stepTimes)
      cycles.push_back(t.cycles);
    return ownedArray(std::move(cycles));
  }
  py::object json() const { return parseJson(systemc::powerJson(report)); }
};

/// What a run gives back: every population's spikes, the counts, and on
/// the SystemC engine the power report.
struct RunResult {
  std::string engine;
  uint32_t steps = 0;
  double wallSeconds = 0;
  py::dict spikes;      ///< node name -> (n, 2) uint32 (step, index)
  py::dict sizes;       ///< node name -> neurons
  py::dict spikeCounts; ///< population name -> spikes
  py::dict counters;
  /// State-probed population -> {"u": (steps, neurons), "v": ...} int32.
  py::dict probes;
  std::optional<Power> power;

  py::array_t<bool> dense(const std::string &name) const {
    if (!spikes.contains(name))
      throw py::key_error("no population '" + name + "' in the result");
    auto pairs = spikes[py::str(name)].cast<py::array_t<uint32_t>>();
    const uint32_t size = sizes[py::str(name)].cast<uint32_t>();
    py::array_t<bool> out({size_t(steps), size_t(size)});
    bool *data = out.mutable_data();
    std::memset(data, 0, size_t(steps) * size);
    auto view = pairs.unchecked<2>();
    for (py::ssize_t i = 0; i < view.shape(0); ++i)
      data[size_t(view(i, 0)) * size + view(i, 1)] = true;
    return out;
  }
};

/// The external inputs a model or image has: name -> channels.
using InputNodes = std::vector<std::pair<std::string, uint32_t>>;

/// Read `inputs` ({input name: array}) into `emit(name, step, index)`. An
/// integer (n, 2) array lists (step, index) pairs; a bool (steps, size)
/// array marks the spikes. A name that is not an input, or an array of
/// another shape or type, raises naming the input and what it got.
template <typename Emit>
void readInputs(const py::dict &inputs, const InputNodes &nodes, Emit emit) {
  for (auto [key, value] : inputs) {
    const std::string name = py::str(key);
    const std::string where = "inputs[\"" + name + "\"]";
    auto node = std::find_if(nodes.begin(), nodes.end(),
                             [&](const auto &n) { return n.first == name; });
    if (node == nodes.end()) {
      std::string known;
      for (const auto &n : nodes)
        known += (known.empty() ? "" : ", ") + n.first;
      throw py::value_error(
          where + ": the model has no external input '" + name +
          "' (its external inputs: " + (known.empty() ? "none" : known) + ")");
    }
    const uint32_t size = node->second;
    py::array array = py::array::ensure(value);
    if (!array)
      throw py::type_error(where + ": expected a numpy array");
    std::string shape = "(";
    for (py::ssize_t d = 0; d < array.ndim(); ++d)
      shape += (d ? ", " : "") + std::to_string(array.shape(d));
    shape += array.ndim() == 1 ? ",)" : ")";
    const std::string expected =
        ": expected an (n, 2) integer array of (step, index) pairs or a "
        "(steps, " +
        std::to_string(size) + ") bool array; got " +
        std::string(py::str(array.dtype())) + " of shape " + shape;
    const char kind = array.dtype().kind();
    if (kind == 'b') {
      if (array.ndim() != 2 || array.shape(1) != py::ssize_t(size))
        throw py::value_error(where + expected);
      auto dense = py::array_t<bool, py::array::c_style>::ensure(array);
      auto view = dense.unchecked<2>();
      for (py::ssize_t t = 0; t < view.shape(0); ++t)
        for (py::ssize_t i = 0; i < view.shape(1); ++i)
          if (view(t, i))
            emit(name, uint32_t(t), uint32_t(i));
      continue;
    }
    if ((kind != 'i' && kind != 'u') || array.ndim() != 2 ||
        array.shape(1) != 2) {
      if (kind == 'i' || kind == 'u')
        throw py::value_error(where + expected);
      throw py::type_error(where + expected);
    }
    constexpr int kRowMajorCast = py::array::c_style | py::array::forcecast;
    auto pairs = py::array_t<int64_t, kRowMajorCast>::ensure(array);
    auto view = pairs.unchecked<2>();
    for (py::ssize_t r = 0; r < view.shape(0); ++r) {
      const int64_t step = view(r, 0), index = view(r, 1);
      if (step < 0 || step > int64_t(UINT32_MAX) || index < 0 ||
          index > int64_t(UINT32_MAX))
        throw py::value_error(where + ": row " + std::to_string(r) + " is (" +
                              std::to_string(step) + ", " +
                              std::to_string(index) +
                              "); steps and indices are 0 to 2^32 - 1");
      emit(name, uint32_t(step), uint32_t(index));
    }
  }
}

/// `inputs` as spike records of the image's external sources.
std::vector<spikeio::SpikeRecord> inputSpikes(const py::dict &inputs,
                                              const spikeio::NodeTable &nodes) {
  InputNodes external;
  for (uint32_t n = 0; n < nodes.size(); ++n)
    if (nodes.isExternalSource(n))
      external.push_back({nodes.name(n), nodes.nodeSize(n)});
  std::vector<spikeio::SpikeRecord> records;
  readInputs(inputs, external,
             [&](const std::string &name, uint32_t step, uint32_t index) {
               records.push_back({step, *nodes.find(name), index});
             });
  return records;
}

/// How often a run looks for Ctrl-C (it takes the GIL to do so).
constexpr auto kSignalCheckPeriod = std::chrono::milliseconds(20);
constexpr uint32_t kStepsPerClockRead = 64;

/// Output files of a run, as `cajal run` names them.
struct RunFiles {
  std::string spikes, probes, power;
};

/// A compiled or loaded chip image with its profile.
class ImageHandle {
public:
  ImageHandle(std::string fileName, chip::Image chipImage,
              chip::Profile chipProfile, std::string fitReportJson)
      : name(std::move(fileName)), image(std::move(chipImage)),
        profile(std::move(chipProfile)), fitReport(std::move(fitReportJson)) {}

  py::object fit() const { return parseJson(fitReport); }
  const std::string &profileName() const { return profile.name; }
  size_t coreCount() const { return image.cores.size(); }
  py::dict populations() const {
    py::dict d;
    for (const chip::Population &p : image.populations)
      d[py::str(p.name)] = p.size;
    return d;
  }
  /// The image file, written by the image writer the compiler uses.
  py::bytes data() const {
    ScratchDirectory scratch;
    save(scratch.file("image.cjimg"));
    return py::bytes(readFile(scratch.file("image.cjimg")));
  }
  /// What `cajal inspect` prints: the summary, --programs or --json.
  std::string summary() const {
    std::ostringstream os;
    chip::printImageSummary(image, &profile, os);
    return os.str();
  }
  std::string programs() const {
    std::ostringstream os;
    check(driver::printProgramReport(image, profile, os));
    return os.str();
  }
  py::object json() const {
    std::ostringstream os;
    chip::printImageJson(image, profile, os);
    return parseJson(os.str());
  }
  std::string repr() const {
    const size_t cores = image.cores.size();
    return "<cajal.Image " + name + ": profile " + profile.name + ", " +
           std::to_string(cores) + (cores == 1 ? " core>" : " cores>");
  }

  void save(const std::string &path) const {
    check(chip::writeImage(image, path));
  }

  RunResult run(uint32_t steps, const std::string &engine,
                const py::dict &inputs, const RunFiles &files) const {
    if (engine != "golden" && engine != "reference" && engine != "systemc")
      throw py::value_error("engine must be golden, reference or systemc, "
                            "got '" +
                            engine + "'");
    if (engine != "systemc" && !files.power.empty())
      throw py::value_error("power_out needs engine=\"systemc\"");
    spikeio::NodeTable nodes(image);
    std::vector<spikeio::SpikeRecord> external = inputSpikes(inputs, nodes);

    RunResult result;
    result.engine = engine;
    std::vector<spikeio::SpikeRecord> spikes;
    std::vector<spikeio::StateRecord> states;
    std::vector<uint64_t> counts;
    emulator::Counters counters;
    std::optional<systemc::PowerReport> power;
    bool interrupted = false;
    const auto start = std::chrono::steady_clock::now();
    {
      py::gil_scoped_release release;
      emulator::RecordOptions record;
      record.spikesPath = files.spikes;
      record.statePath = files.probes;
      record.spikes = &spikes;
      record.states = &states;
      record.spikeCounts = &counts;
      auto lastCheck = std::chrono::steady_clock::now();
      uint32_t stepsSinceCheck = 0;
      record.onStep = [&](uint32_t, uint32_t) {
        // Reading the clock every step costs more than a small network's
        // step on a virtual machine.
        if (++stepsSinceCheck < kStepsPerClockRead)
          return true;
        stepsSinceCheck = 0;
        const auto now = std::chrono::steady_clock::now();
        if (now - lastCheck < kSignalCheckPeriod)
          return true;
        lastCheck = now;
        py::gil_scoped_acquire acquire;
        interrupted = PyErr_CheckSignals() != 0;
        return !interrupted;
      };
      runEngine(engine, std::move(external), steps, record, counters, power,
                files);
    }
    if (interrupted)
      throw py::error_already_set(); // KeyboardInterrupt, as Python raised
    result.wallSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    result.steps = uint32_t(counters.steps);
    collectSpikes(nodes, spikes, result);
    collectStates(nodes, states, result);
    for (uint32_t p = 0; p < nodes.populationCount(); ++p)
      result.spikeCounts[py::str(nodes.name(p))] = counts[p];
    result.counters["steps"] = counters.steps;
    result.counters["compartmentSpikes"] = counters.compartmentSpikes;
    result.counters["sourceSpikes"] = counters.sourceSpikes;
    result.counters["axonEvents"] = counters.axonEvents;
    result.counters["synapticEvents"] = counters.synapticEvents;
    result.counters["activeUpdates"] = counters.activeUpdates;
    result.counters["idleUpdates"] = counters.idleUpdates;
    if (power)
      result.power = Power{std::move(*power)};
    return result;
  }

private:
  /// Create the engine, give it the input, run it; outside the GIL, so it
  /// reports errors by throwing CajalError only.
  void runEngine(const std::string &engine,
                 std::vector<spikeio::SpikeRecord> external, uint32_t steps,
                 const emulator::RecordOptions &record,
                 emulator::Counters &counters,
                 std::optional<systemc::PowerReport> &power,
                 const RunFiles &files) const {
    if (engine == "golden") {
      golden::ModelOptions options;
      options.imageValidated = true; // when it was compiled or loaded
      auto model = check(golden::GoldenModel::create(image, profile, options));
      check(model.setExternalSpikes(std::move(external)));
      check(golden::runAndRecord(model, steps, record));
      counters = model.counters();
    } else if (engine == "reference") {
      reference::Options options;
      options.imageValidated = true;
      auto model =
          check(reference::ReferenceEngine::create(image, profile, options));
      check(model.setExternalSpikes(std::move(external)));
      check(reference::runAndRecord(model, steps, record));
      counters = model.counters();
    } else {
      systemc::Options options;
      options.powerPath = files.power;
      auto model =
          check(systemc::SystemCEngine::create(image, profile, options));
      check(model.setExternalSpikes(std::move(external)));
      check(systemc::runAndRecord(model, steps, record));
      counters = model.counters();
      power = model.powerReport();
    }
  }

  /// Split the run's spikes (by step, node, index) per population; an alias
  /// node (a NIR output) shares its population's array.
  static void collectSpikes(const spikeio::NodeTable &nodes,
                            const std::vector<spikeio::SpikeRecord> &spikes,
                            RunResult &result) {
    std::vector<std::vector<uint32_t>> pairs(nodes.populationCount());
    for (const spikeio::SpikeRecord &s : spikes) {
      pairs[s.node].push_back(s.step);
      pairs[s.node].push_back(s.index);
    }
    for (uint32_t p = 0; p < nodes.populationCount(); ++p) {
      py::array_t<uint32_t> array = ownedArray(std::move(pairs[p]), 2);
      result.spikes[py::str(nodes.name(p))] = array;
      result.sizes[py::str(nodes.name(p))] = nodes.nodeSize(p);
      for (uint32_t alias : nodes.aliasNodes(p)) {
        result.spikes[py::str(nodes.name(alias))] = array;
        result.sizes[py::str(nodes.name(alias))] = nodes.nodeSize(p);
      }
    }
  }

  /// The probed states as one (steps, neurons) array of u and one of v per
  /// population; rows come by step, then population, then neuron.
  static void collectStates(const spikeio::NodeTable &nodes,
                            const std::vector<spikeio::StateRecord> &states,
                            RunResult &result) {
    std::vector<std::vector<int32_t>> u(nodes.populationCount()),
        v(nodes.populationCount());
    for (const spikeio::StateRecord &s : states) {
      u[s.node].push_back(s.u);
      v[s.node].push_back(s.v);
    }
    for (uint32_t p = 0; p < nodes.populationCount(); ++p) {
      if (u[p].empty())
        continue;
      const size_t size = nodes.nodeSize(p);
      py::dict traces;
      traces["u"] = ownedArray(std::move(u[p]), size);
      traces["v"] = ownedArray(std::move(v[p]), size);
      result.probes[py::str(nodes.name(p))] = traces;
    }
  }

  std::string name;
  chip::Image image;
  chip::Profile profile;
  std::string fitReport;
};

/// A path names a model file: no line break and a .mlir or .nir name.
bool namesModelFile(const std::string &source) {
  return source.find('\n') == std::string::npos && driver::isModelPath(source);
}

/// A str or path-like object as a path (os.fspath).
std::string fsPath(const py::object &path) {
  return py::module_::import("os").attr("fspath")(path).cast<std::string>();
}

/// A model as the user gave it: a path-like object is a path; a str is a
/// path when it names a model file, else snn-dialect text.
struct ModelSource {
  std::string text;
  bool isFile = false;
  explicit ModelSource(const py::object &source) {
    if (py::isinstance<py::str>(source)) {
      text = source.cast<std::string>();
      isFile = namesModelFile(text);
    } else {
      text = fsPath(source);
      isFile = true;
    }
  }
};

/// A model from a path or snn-dialect text, with `name` the file or
/// "<string>". Errors raise with the CLI's message.
mlir::OwningOpRef<mlir::ModuleOp>
loadSource(const ModelSource &source, std::optional<double> dt,
           const std::string &reset, driver::ModelContext &mc,
           const std::string &diagnostics, std::string &name) {
  driver::ModelOptions options;
  options.dt = dt;
  options.reset = reset;
  std::string error;
  name = source.isFile ? source.text : "<string>";
  mlir::OwningOpRef<mlir::ModuleOp> module =
      source.isFile
          ? driver::loadModel(source.text, options, mc, error)
          : driver::parseModelText(source.text, name, options, mc, error);
  if (!module)
    fail(error.empty() ? diagnostics : error);
  return module;
}

ImageHandle compileModel(const ModelSource &source, std::optional<double> dt,
                         const std::string &profileName,
                         unsigned calibrateSteps, const std::string &reset) {
  std::string diagnostics, name;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  ScratchDirectory scratch;
  std::optional<Result<chip::Image>> image;
  std::string fitReport;
  {
    py::gil_scoped_release release;
    driver::ModelContext mc(/*showRemarks=*/false, diagnosticStream);
    mlir::OwningOpRef<mlir::ModuleOp> module =
        loadSource(source, dt, reset, mc, diagnostics, name);
    CompileOptions compile;
    compile.profile = profileName;
    compile.imagePath = scratch.file("image.cjimg");
    compile.fitReportPath = scratch.file("fit.json");
    compile.calibrationSteps = calibrateSteps;
    mlir::PassManager pm(&mc.context);
    buildCompilePipeline(pm, compile);
    if (mlir::failed(pm.run(*module)))
      fail(diagnostics);
    image = chip::readImageUnchecked(compile.imagePath);
    fitReport = readFile(compile.fitReportPath);
  }
  // nc-emit-image validated it against the profile.
  chip::Profile profile =
      check(chip::findProfile(profileName, driver::profileDirectory()));
  return ImageHandle(name, check(std::move(*image)), std::move(profile),
                     std::move(fitReport));
}

/// The float engine on a model: its equations (or discretised LIF and
/// Izhikevich parameters) in f64, as `cajal run MODEL --engine float` runs
/// them beside the image.
RunResult runFloatModel(const ModelSource &source, uint32_t steps,
                        std::optional<double> dt, const std::string &reset,
                        const py::dict &inputs) {
  std::string diagnostics, name;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  driver::ModelContext mc(/*showRemarks=*/false, diagnosticStream);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      loadSource(source, dt, reset, mc, diagnostics, name);
  auto nets = module->getOps<snn::NetworkOp>();
  if (std::distance(nets.begin(), nets.end()) != 1)
    fail(name + ": expected exactly one snn.network");
  snn::NetworkOp net = *nets.begin();
  InputNodes external;
  net.walk([&](snn::InputOp in) {
    external.push_back(
        {in.getSymName().str(), uint32_t(in.getSpikes().getType().getSize())});
  });
  std::vector<FloatSpike> floatInputs;
  readInputs(inputs, external,
             [&](const std::string &node, uint32_t step, uint32_t index) {
               floatInputs.push_back({step, node, index});
             });
  RunResult result;
  result.engine = "float";
  FloatRun run;
  const auto start = std::chrono::steady_clock::now();
  {
    py::gil_scoped_release release;
    mlir::PassManager pm(&mc.context);
    pm.addPass(createSNNDiscretizeEquations());
    pm.nest<snn::NetworkOp>().addPass(createSNNDiscretize());
    if (mlir::failed(pm.run(*module)))
      fail(diagnostics);
    mlir::FailureOr<FloatRun> ran = runFloat(net, steps, floatInputs);
    if (mlir::failed(ran))
      fail(diagnostics);
    run = std::move(*ran);
  }
  result.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  result.steps = steps;
  std::vector<std::vector<uint32_t>> pairs(run.populations.size());
  for (const FloatSpike &s : run.spikes) {
    const auto p =
        std::find(run.populations.begin(), run.populations.end(), s.node) -
        run.populations.begin();
    pairs[p].push_back(s.step);
    pairs[p].push_back(s.index);
  }
  for (size_t p = 0; p < run.populations.size(); ++p) {
    const py::str key(run.populations[p]);
    result.spikes[key] = ownedArray(std::move(pairs[p]), 2);
    result.sizes[key] = run.sizes[p];
    result.spikeCounts[key] = run.spikeCounts[p];
  }
  return result;
}

ImageHandle loadImageFile(const std::string &path,
                          const std::string &profileName) {
  chip::Profile profile;
  chip::Image image = check(driver::loadImage(path, profileName, profile));
  return ImageHandle(path, std::move(image), std::move(profile), "");
}

} // namespace

PYBIND11_MODULE(_cajal, m) {
  m.doc() = "Cajal's compiler and chip engines (the cajal package wraps it)";
  m.attr("__version__") = CAJAL_VERSION;
  py::register_exception<CajalError>(m, "Error", PyExc_RuntimeError);

  py::class_<Power>(m, "Power",
                    "The energy and time of a SystemC run "
                    "(docs/power.md)")
      .def_property_readonly("total_energy_pj", &Power::totalEnergyPJ,
                             "Dynamic plus static energy, pJ")
      .def_property_readonly("dynamic_energy_pj", &Power::dynamicEnergyPJ)
      .def_property_readonly("static_energy_pj", &Power::staticEnergyPJ)
      .def_property_readonly(
          "by_kind", &Power::byKind,
          "Energy (pJ) per event kind, keyed as the power report's energy")
      .def_property_readonly(
          "cycles", [](const Power &p) { return p.report.cycles; },
          "Chip cycles over the run")
      .def_property_readonly(
          "seconds", [](const Power &p) { return p.report.seconds; },
          "Chip time of the run (cycles / clock)")
      .def_property_readonly(
          "average_power_mw",
          [](const Power &p) { return p.report.averagePowerMW; })
      .def_property_readonly("cycles_per_step", &Power::cyclesPerStep,
                             "uint64 array: each step's cycles")
      .def("json", &Power::json,
           "The whole report as `cajal run --power` writes it, as a dict");

  py::class_<RunResult>(m, "RunResult", "What a run recorded")
      .def_readonly("engine", &RunResult::engine)
      .def_readonly("steps", &RunResult::steps, "Steps run")
      .def_readonly("wall_seconds", &RunResult::wallSeconds,
                    "Wall time of the run, output files included")
      .def_readonly("spikes", &RunResult::spikes,
                    "{population: uint32 array of (step, index) rows}, every "
                    "population, ordered by step then index")
      .def_readonly("sizes", &RunResult::sizes, "{population: neurons}")
      .def_readonly("spike_counts", &RunResult::spikeCounts,
                    "{population: spikes}")
      .def_readonly("counters", &RunResult::counters,
                    "Steps, spikes, synaptic events and updates, as counted "
                    "by the engine")
      .def_readonly("probes", &RunResult::probes,
                    "{state-probed population: {'u': int32 array, 'v': int32 "
                    "array}}, each of shape (steps, neurons)")
      .def_readonly("power", &RunResult::power,
                    "Power report (engine='systemc'), else None")
      .def_property_readonly(
          "cycles_per_step",
          [](const RunResult &r) -> py::object {
            if (!r.power)
              return py::none();
            return r.power->cyclesPerStep();
          },
          "uint64 array of each step's chip cycles (engine='systemc'), "
          "else None")
      .def("dense", &RunResult::dense, py::arg("population"),
           "The population's spikes as a bool array of shape (steps, "
           "neurons)");

  py::class_<ImageHandle>(m, "Image", "A chip image and its profile")
      .def_property_readonly("fit", &ImageHandle::fit,
                             "The fit report (dict) of a compiled image; "
                             "None for one loaded from a file")
      .def_property_readonly("profile", &ImageHandle::profileName)
      .def_property_readonly("cores", &ImageHandle::coreCount,
                             "Cores the image uses")
      .def_property_readonly("populations", &ImageHandle::populations,
                             "{population: neurons}")
      .def("to_bytes", &ImageHandle::data, "The image file's bytes")
      .def("__repr__", &ImageHandle::repr)
      .def("summary", &ImageHandle::summary,
           "What `cajal inspect` prints: cores, populations, sources, use")
      .def("programs", &ImageHandle::programs,
           "What `cajal inspect --programs` prints: each neurocore program, "
           "disassembled, with its cost per update")
      .def("json", &ImageHandle::json,
           "The whole configuration (`cajal inspect --json`) as a dict")
      .def(
          "save",
          [](const ImageHandle &image, const py::object &path) {
            image.save(fsPath(path));
          },
          py::arg("path"),
          "Write the image file (atomically: whole or not at all)")
      .def(
          "run",
          [](const ImageHandle &image, uint32_t steps,
             const std::string &engine, std::optional<py::dict> inputs,
             const py::object &spikesOut, const py::object &probesOut,
             const py::object &powerOut) {
            const auto file = [](const py::object &path) {
              return path.is_none() ? std::string() : fsPath(path);
            };
            return image.run(
                steps, engine, inputs ? *inputs : py::dict(),
                {file(spikesOut), file(probesOut), file(powerOut)});
          },
          py::arg("steps"), py::arg("engine") = "golden",
          py::arg("inputs") = py::none(), py::arg("spikes_out") = py::none(),
          py::arg("probes_out") = py::none(), py::arg("power_out") = py::none(),
          "Run `steps` steps on an engine (golden, reference or systemc).\n"
          "inputs: {external input: (n, 2) int array of (step, index) or "
          "(steps, size) bool array}. spikes_out, probes_out, power_out: "
          "files as `cajal run` writes them.");

  m.def(
      "compile",
      [](const py::object &source, std::optional<double> dt,
         const std::string &profile, unsigned calibrateSteps,
         const std::string &reset) {
        return compileModel(ModelSource(source), dt, profile, calibrateSteps,
                            reset);
      },
      py::arg("source"), py::arg("dt") = py::none(),
      py::arg("profile") = "loihi1", py::arg("calibrate_steps") = 0u,
      py::arg("reset") = "zero",
      "Compile a model (a .mlir or .nir path, or snn-dialect text) for a "
      "profile (name or file). dt: seconds per step (required for NIR).");
  m.def(
      "run_float",
      [](const py::object &source, uint32_t steps, std::optional<double> dt,
         const std::string &reset, std::optional<py::dict> inputs) {
        return runFloatModel(ModelSource(source), steps, dt, reset,
                             inputs ? *inputs : py::dict());
      },
      py::arg("source"), py::arg("steps"), py::arg("dt") = py::none(),
      py::arg("reset") = "zero", py::arg("inputs") = py::none(),
      "Run a model (path or snn-dialect text) on the float engine: its "
      "discretised equations in f64, before quantisation. Spikes and counts "
      "as Image.run gives them (no power, no counters).");
  m.def(
      "load",
      [](const py::object &path, const std::string &profile) {
        return loadImageFile(fsPath(path), profile);
      },
      py::arg("path"), py::arg("profile") = "",
      "Read a chip image file and validate it against its profile (or the "
      "one given)");
}
