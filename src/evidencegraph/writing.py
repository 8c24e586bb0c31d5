"""Writing files safely: each output whole or not at all, a set of outputs all
from one run, and nothing removed that the tool did not write.

Files are written beside their target and renamed into place; a set is
staged and rolled forward after a crash; a manifest lists what the tool wrote
into a folder, so pruning never touches a user's own files.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from evidencegraph.errors import OutputError

_TMP_SUFFIX = ".tmp"
_STAGING = ".evidencegraph-staging-"
_COMMIT = "COMMIT"


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _new_file(folder: Path, prefix: str) -> tuple[int, Path]:
    """A new file named ``<prefix><pid>.<random>.tmp`` in ``folder``, mode 0666 less the
    umask (``mkstemp`` made every output 0600, which broke sharing a build)."""
    import secrets

    for _ in range(100):
        tmp = folder / f"{prefix}{os.getpid()}.{secrets.token_hex(4)}{_TMP_SUFFIX}"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")  # pragma: no cover


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (its leftovers are then not stale)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(folder: Path, names: Iterable[str] = ()) -> None:
    """Remove what killed runs of this tool left in ``folder``, and only that.

    Temporary files are ``.<name>.<pid>.<random>.tmp`` for an output ``name``
    the caller writes there (older versions wrote ``.<name>.<random>.tmp``);
    staging folders are ``.evidencegraph-staging-<pid>-<random>``. A staging
    folder with its COMMIT mark is rolled forward (its run had finished
    writing and was moving the set in); without it, it is deleted. Files of a
    run that is still alive are left alone.
    """
    import shutil

    folder = Path(folder)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    wanted = set(names)  # generic patterns, then a set look-up: a folder of a thousand
    # outputs compiled a thousand-way alternation on every write
    patterns = (
        re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$"),
        re.compile(r"^\.(?P<name>.+)\.(?P<pid>)[a-z0-9_]{8}\.tmp$"),
    )
    for entry in entries:
        name = entry.name
        if name.startswith(_STAGING) and entry.is_dir() and not entry.is_symlink():
            pid = name[len(_STAGING) :].split("-", 1)[0]
            if pid.isdigit() and pid_alive(int(pid)):
                continue
            if (entry / _COMMIT).is_file():
                _roll_forward(entry, folder)
            shutil.rmtree(entry, ignore_errors=True)
            continue
        m = next((m for p in patterns if (m := p.match(name)) and m["name"] in wanted), None)
        if m and entry.is_file() and not entry.is_symlink():
            if m["pid"] and pid_alive(int(m["pid"])):
                continue
            entry.unlink(missing_ok=True)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file beside ``path`` that replaces it only if the block succeeds.

    Readers never see a half-written output: the temporary file is renamed over
    ``path`` at the end, and removed if anything fails. A symbolic link is
    written through (its target is replaced, the link stays), an existing
    file keeps its mode, and a new one gets 0666 less the umask.
    """
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(path.parent, [path.name])
        fd, tmp = _new_file(path.parent, f".{path.name}.")
    except OSError as err:
        raise OutputError(f"{path}: cannot write ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write ({err.strerror or err})") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write to a temporary file beside ``path``, then rename over it."""
    with atomic_file(path) as fh:
        fh.write(text.encode("utf-8") if isinstance(text, str) else text)


def _roll_forward(staging: Path, out: Path) -> None:
    """Move every file a finished staging folder still holds into ``out``."""
    names = (staging / _COMMIT).read_text("utf-8").splitlines()
    for rel in names:
        src = staging / "new" / rel
        if src.is_file():
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, out / rel)


def write_set(out: Path, files: dict[str, str | bytes], *, fsync_each: bool = True) -> list[Path]:
    """Replace a set of outputs (relative paths under ``out``) as one set.

    Every file is written and synced in a staging folder inside ``out`` first,
    so running out of space changes nothing. Then the old files are kept
    aside and the new ones renamed in, with SIGINT/SIGTERM/SIGHUP held off; a
    failure part-way puts the old set back. If the process is killed
    part-way, the staging folder (with its COMMIT mark) is rolled forward by
    the next run in ``out``: never a mix of old and new outputs for long,
    and nothing left behind. With ``fsync_each=False`` (a site of thousands of
    small files) one ``sync`` before the COMMIT mark replaces a sync per file.
    """
    import secrets
    import shutil
    import signal
    import threading

    from evidencegraph.limits import COMMIT_LOCK

    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        clean_stale(out)
        by_folder: dict[Path, list[str]] = {}
        for rel in files:
            by_folder.setdefault((out / rel).parent, []).append(Path(rel).name)
        for folder, names in by_folder.items():
            clean_stale(folder, names)

        staging = out / f"{_STAGING}{os.getpid()}-{secrets.token_hex(4)}"
        staging.mkdir()
    except OSError as err:
        raise OutputError(f"{out}: cannot write ({err.strerror or err})") from None
    done: list[tuple[Path, Path | None]] = []  # (target, its old copy or None)
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    main = threading.current_thread() is threading.main_thread()
    try:
        for rel, content in files.items():
            target = out / rel
            if target.is_dir():
                raise OutputError(f"{target}: is a folder; cannot replace it with a file")
            new = staging / "new" / rel
            new.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(new, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
                fh.flush()
                if fsync_each:
                    os.fsync(fh.fileno())
        if not fsync_each:
            os.sync()
        (staging / _COMMIT).write_text("\n".join(files) + "\n", "utf-8")
        with COMMIT_LOCK:
            if main:
                signal.pthread_sigmask(signal.SIG_BLOCK, held)
            try:
                for rel in files:
                    target = out / rel
                    old = None
                    if target.exists() or target.is_symlink():
                        old = staging / "old" / rel
                        old.parent.mkdir(parents=True, exist_ok=True)
                        os.link(target, old, follow_symlinks=False)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(staging / "new" / rel, target)
                    done.append((target, old))
            except BaseException:
                for target, old in reversed(done):
                    if old is not None:
                        os.replace(old, target)
                    else:
                        target.unlink(missing_ok=True)
                raise
            finally:
                if main:
                    signal.pthread_sigmask(signal.SIG_UNBLOCK, held)
    except OSError as err:
        raise OutputError(f"{out}: cannot write ({err.strerror or err}); nothing changed") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [out / rel for rel in files]


MANIFEST = ".evidencegraph-manifest"


def write_outputs(
    out: Path, files: dict[str, str | bytes], *, prune: bool = True, fsync_each: bool = True
) -> list[Path]:
    """:func:`write_set`, remembering in ``out/.evidencegraph-manifest`` what was written.

    With ``prune``, files the previous run listed there and this run did not
    write are deleted (a guidance no longer drawn); nothing else ever is, so
    a user's own files in the folder are safe.
    """
    out = Path(out)
    listed = out / MANIFEST
    try:
        before = set(listed.read_text("utf-8").splitlines()) if listed.is_file() else set()
    except OSError:
        before = set()
    written = write_set(out, files, fsync_each=fsync_each)
    now = set(files)
    keep = now if prune else now | before
    if prune:
        for rel in sorted(before - now):
            p = out / rel
            safe = not Path(rel).is_absolute() and ".." not in Path(rel).parts
            if safe and (p.is_file() or p.is_symlink()):
                p.unlink(missing_ok=True)
    write_atomic(listed, "".join(f"{rel}\n" for rel in sorted(keep)))
    return written
