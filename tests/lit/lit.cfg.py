# -*- Python -*-  lit configuration of the Cajal FileCheck tests.
import os

import lit.formats

config.name = "Cajal"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.cajal_obj_root, "tests", "lit")
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py",
                   "lit.site.cfg.py"]

# cajal-opt from the build first, then FileCheck, not, split-file from LLVM.
config.environment["PATH"] = os.pathsep.join(
    [config.cajal_tools_dir, config.llvm_tools_dir,
     config.environment.get("PATH", "")])
config.environment["CAJAL_PROFILE_DIR"] = config.cajal_profile_dir
config.substitutions.append(("%profiles", config.cajal_profile_dir))
config.substitutions.append(
    ("%inputs", os.path.join(config.test_source_root, "Inputs")))
