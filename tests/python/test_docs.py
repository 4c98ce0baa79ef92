"""docs/python.md runs as written: every ```python block, in order, in one
namespace, from a folder where examples/ is the repository's (the files the
walk-through writes land in a temporary folder)."""
import os
import re

SOURCE = os.environ["CAJAL_SOURCE_DIR"]


def test_every_block_of_the_walk_through_runs(tmp_path, monkeypatch):
    with open(os.path.join(SOURCE, "docs", "python.md")) as f:
        blocks = re.findall(r"^```python\n(.*?)^```$", f.read(), re.S | re.M)
    assert len(blocks) >= 8
    os.symlink(os.path.join(SOURCE, "examples"), tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for number, block in enumerate(blocks, 1):
        exec(compile(block, f"docs/python.md block {number}", "exec"), namespace)
    for written in ("synfire.cjimg", "synfire.spikes.csv", "synfire-raster.png",
                    "synfire-rates.svg", "cuba-mesh.png", "cuba-energy.png"):
        assert os.path.getsize(tmp_path / written) > 0, written
