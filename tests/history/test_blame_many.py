"""Blaming the files of a trace together (codemap.history.blame_run): one commit lookup for
all of them, blame from HEAD for files unchanged since HEAD, and answers identical to
blaming each file on its own in the working tree."""

from __future__ import annotations

import pytest

from codemap.errors import InputError
from codemap.history import blame as blame_mod
from codemap.history import blame_run, snapshot
from codemap.history import git as git_mod
from codemap.history.blame import blame_lines, blame_lines_many
from codemap.history.store import HistoryStore
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

FILES = 5


@pytest.fixture
def git_log(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The arguments of every git process codemap starts (after ``-C root``)."""
    started: list[list[str]] = []
    real = git_mod.GitProcess.__init__

    def record(self, repo, args, timeout):  # type: ignore[no-untyped-def]
        started.append(list(args))
        real(self, repo, args, timeout)

    monkeypatch.setattr(git_mod.GitProcess, "__init__", record)
    return started


def _uncached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blame_mod, "history_store", lambda repo: HistoryStore(None))


def _build(b: GitRepoBuilder) -> dict[str, list[int]]:
    """FILES files, each written by its own author over two commits (so blame has
    several commits to name per file); returns the lines to blame per file."""
    for k in range(FILES):
        b.write(f"pkg/m{k}.py", "".join(f"line_{j} = {j}\n" for j in range(12)))
    b.commit("skeleton", author="Ada Lovelace <ada@example.com>",
             date="2026-01-01T10:00:00+00:00")
    for k in range(FILES):
        text = (b.root / f"pkg/m{k}.py").read_text()
        b.write(f"pkg/m{k}.py", text.replace(f"line_{k + 2} = ", f"changed_{k} = "))
        b.commit(f"change m{k}\n\nCo-authored-by: Claude <noreply@anthropic.com>" if k == 1
                 else f"change m{k}", author=f"Dev{k} <dev{k}@example.com>",
                 date=f"2026-01-{k + 2:02d}T10:00:00+00:00")
    return {f"pkg/m{k}.py": [1, k + 3, 12] for k in range(FILES)}


def _key(found: dict) -> dict:
    # git dates lines not committed yet "now": they compare by everything else
    return {path: (lines if isinstance(lines, InputError) else
                   {n: (bl.sha, bl.author, bl.email, None if bl.uncommitted else bl.date,
                        bl.summary, bl.ai, bl.ai_tool, bl.ai_sources, bl.orig_line,
                        bl.orig_path, bl.previous, bl.boundary)
                    for n, bl in lines.items()})
            for path, lines in found.items()}


def test_several_files_share_one_commit_lookup_and_answer_like_one_by_one(
        git_repo: GitRepoBuilder, git_log: list[list[str]], monkeypatch: pytest.MonkeyPatch):
    wanted = _build(git_repo)
    repo = find_repo(git_repo.root)
    together = blame_lines_many(repo, wanted)
    blames = [a for a in git_log if "blame" in a]
    lookups = [a for a in git_log if "--stdin" in a and "log" in a]
    assert len(blames) == FILES and len(lookups) == 1
    # each file on its own, uncached: the same answer, and one lookup per file
    _uncached(monkeypatch)
    git_log.clear()
    alone = {path: blame_lines(repo, path, lines) for path, lines in wanted.items()}
    assert len([a for a in git_log if "--stdin" in a and "log" in a]) == FILES
    assert _key(together) == _key(alone)
    assert {together[f"pkg/m{k}.py"][k + 3].author for k in range(FILES)} == {
        f"Dev{k}" for k in range(FILES)}
    assert together["pkg/m1.py"][4].ai and not together["pkg/m0.py"][3].ai
    assert together["pkg/m0.py"][1].author == "Ada Lovelace"


def test_unchanged_files_are_blamed_from_head_with_the_working_tree_answer(
        git_repo: GitRepoBuilder, git_log: list[list[str]], monkeypatch: pytest.MonkeyPatch):
    wanted = _build(git_repo)
    head = git_repo.git("rev-parse", "HEAD").strip()
    edited = git_repo.root / "pkg/m2.py"
    edited.write_text("# a local edit\n" + edited.read_text())
    wanted["pkg/m2.py"] = [1, 2, 6]
    repo = find_repo(git_repo.root)
    _uncached(monkeypatch)
    worktree = blame_lines_many(repo, wanted)  # a small index: no check, all in the worktree
    assert not any(a[-3] == head for a in git_log if "blame" in a)
    assert not any("hash-object" in a for a in git_log)
    git_log.clear()
    monkeypatch.setattr(blame_run, "CLEAN_CHECK_MIN_INDEX_BYTES", 0)
    checked = blame_lines_many(repo, wanted)
    at_head = {a[-1] for a in git_log if "blame" in a and a[-3] == head}
    assert at_head == {p for p in wanted if p != "pkg/m2.py"}
    assert len([a for a in git_log if "hash-object" in a]) == 1
    assert _key(checked) == _key(worktree)
    assert checked["pkg/m2.py"][1].uncommitted and not checked["pkg/m2.py"][2].uncommitted


def test_a_file_git_would_convert_is_blamed_in_the_working_tree(
        git_repo: GitRepoBuilder, git_log: list[list[str]], monkeypatch: pytest.MonkeyPatch):
    # CRLF committed, then an attribute asking for LF: the working-tree file is the
    # committed blob byte for byte, yet git's hash of it (after conversion) is not
    git_repo.write("win.py", "a = 1\r\nb = 2\r\n")
    git_repo.write("plain.py", "c = 3\n")
    git_repo.commit("crlf")
    git_repo.write(".gitattributes", "win.py text eol=lf\n")
    git_repo.git("add", ".gitattributes")
    git_repo.git("commit", "-q", "-m", "attributes")  # win.py not added again
    head = git_repo.git("rev-parse", "HEAD").strip()
    repo = find_repo(git_repo.root)
    _uncached(monkeypatch)
    wanted = {"win.py": [1, 2], "plain.py": [1]}
    worktree = blame_lines_many(repo, wanted)
    assert worktree["win.py"][1].uncommitted  # what plain git blame says
    git_log.clear()
    monkeypatch.setattr(blame_run, "CLEAN_CHECK_MIN_INDEX_BYTES", 0)
    checked = blame_lines_many(repo, wanted)
    assert {a[-1] for a in git_log if "blame" in a and a[-3] == head} == {"plain.py"}
    assert _key(checked) == _key(worktree)


def test_a_file_git_cannot_blame_does_not_stop_the_others(git_repo: GitRepoBuilder,
                                                          monkeypatch: pytest.MonkeyPatch):
    wanted = _build(git_repo)
    git_repo.write("pkg/new.py", "x = 1\n")  # untracked
    git_repo.write("pkg/m3.py", b"\0binary now")
    monkeypatch.setattr(blame_run, "CLEAN_CHECK_MIN_INDEX_BYTES", 0)
    found = blame_lines_many(find_repo(git_repo.root), {**wanted, "pkg/new.py": [1]})
    assert isinstance(found["pkg/m3.py"], InputError)
    assert "binary" in found["pkg/m3.py"].message
    assert isinstance(found["pkg/new.py"], InputError)
    assert found["pkg/new.py"].message == ("pkg/new.py is not in git at HEAD "
                                          "(untracked, or not there yet)")
    assert found["pkg/m0.py"][3].author == "Dev0"
    assert list(found) == [*wanted, "pkg/new.py"]  # the order asked


def test_snapshot_learns_many_paths_and_the_root_with_one_process(
        git_repo: GitRepoBuilder, git_log: list[list[str]]):
    git_repo.write("a.py", "a = 1\n")
    git_repo.write("dir with space/b.py", "b = 1\n")
    root = git_repo.commit("first")
    repo = find_repo(git_repo.root)
    paths = ["a.py", "dir with space/b.py", "dir with space", "never.py"]
    snapshot.learn(repo, root, paths)
    snapshot.learn(repo, root, paths)  # known now: no second process
    assert len(git_log) == 1 and "cat-file" in git_log[0]
    assert snapshot.is_root(repo, root) is True
    blob = git_repo.git("rev-parse", f"{root}:a.py").strip()
    assert snapshot.entry(repo, root, "a.py") == (blob, "blob")
    assert snapshot.entry(repo, root, "dir with space")[1] == "tree"  # type: ignore[index]
    assert snapshot.entry(repo, root, "never.py") is None and snapshot.known(repo, root, "never.py")
    git_repo.write("a.py", "a = 2\n")
    second = git_repo.commit("second")
    assert snapshot.is_root(repo, second) is None  # not asked yet
    snapshot.learn(repo, second, [])
    assert snapshot.is_root(repo, second) is False


def test_threads_asking_the_same_facts_never_ask_git_twice(git_repo: GitRepoBuilder,
                                                          monkeypatch: pytest.MonkeyPatch):
    from concurrent.futures import ThreadPoolExecutor

    for k in range(8):
        git_repo.write(f"f{k}.py", f"x = {k}\n")
    sha = git_repo.commit("files")
    repo = find_repo(git_repo.root)
    asked: list[tuple[list[str], bool]] = []
    real = snapshot._ask

    def record(repo, commit, todo, ask_parents):  # type: ignore[no-untyped-def]
        asked.append((list(todo), ask_parents))
        real(repo, commit, todo, ask_parents)

    monkeypatch.setattr(snapshot, "_ask", record)
    paths = [f"f{k}.py" for k in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda k: snapshot.learn(repo, sha, paths[k % 3:]), range(8)))
    # every caller returned with its answers, and each fact was asked for once
    assert all(snapshot.entry(repo, sha, p) is not None for p in paths)
    every = [p for todo, _ in asked for p in todo]
    assert sorted(every) == sorted(set(every)) and set(every) == set(paths)
    assert sum(parents for _, parents in asked) == 1
