"""coverage.py imported from two threads at once (what the TUI's workers do).

Python takes a submodule's import lock before its package's, so one thread in
``from coverage.regions import ...`` while another runs ``import coverage`` used to
fail one of them ("partially initialized module"); the per-symbol rollup then fell
back to whole-range regions and showed a docstring-only class as covered. Each
trial is a fresh interpreter (coverage.py not imported yet), with the two threads
started together.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

TRIAL = textwrap.dedent('''
    import sys, threading
    from pathlib import Path
    from codemap.coverage.pyanalysis import python_rules
    from codemap.coverage.regions import own_lines
    from codemap.model import Symbol

    assert "coverage" not in sys.modules
    source = "class Quiet(Exception):\\n    \\"\\"\\"Nothing to run.\\"\\"\\"\\n"
    quiet = Symbol.make("Quiet", "m.Quiet", "class", "python", "m.py", 1, 2)
    out, errors = {}, []
    start = threading.Barrier(2)

    def regions():
        start.wait()
        out["own"] = own_lines([quiet], source)

    def rules():
        start.wait()
        try:
            python_rules(Path(sys.argv[1]))
        except Exception as exc:
            errors.append(repr(exc))

    threads = [threading.Thread(target=regions), threading.Thread(target=rules)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # coverage.py gives a class its methods' lines: none here (the class line is the module's)
    print("ok" if out["own"] == [set()] and not errors else f"bad {out} {errors}")
''')


def test_two_threads_importing_coveragepy_both_get_it(tmp_path: Path) -> None:
    script = tmp_path / "trial.py"
    script.write_text(TRIAL)
    results = [subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                              text=True, timeout=60) for _ in range(8)]
    assert [r.stdout.strip() or r.stderr[-300:] for r in results] == ["ok"] * 8
