"""Build dedup's optional compiled parts; everything else is in pyproject.toml.

Two, both optional, both with a pure fallback that gives identical results:

* the MinHash kernel, C (``src/dedup/near/_minhash_c.c``; its fallback is numpy,
  docs/near-duplicates.md, "The compiled kernel");
* the cleaner's modules (:data:`COMPILED`), translated to C by mypyc from their
  own source (docs/compiled-cleaner.md). Their fallback is that source.

Where no C compiler works (``CC=/bin/false``, no build tools, an unusual platform)
setuptools warns and the wheel is built without them. An editable install skips
mypyc unless ``DEDUP_COMPILE=1``: a compiled module stands in front of its source,
so an edit to the source would do nothing until the next build. ``DEDUP_COMPILE=0``
skips it for any build.
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

#: The modules mypyc compiles: the cleaner, which is most of a corpus job's time
#: (issue 12). Compiled unchanged, they made clean() 1.57x faster on BBC news and
#: 1.44x on web page text, with identical results (2026-12-02, mypy 2.4). Not
#: ``cleaner``, the public face (``dedup.clean``): compiled, its argument checks would
#: be mypyc's and their messages not ours; it runs once per document.
COMPILED = (
    "dedup/cleaning/_text.py",
    "dedup/cleaning/_patternset.py",
    "dedup/cleaning/lexicon.py",
    "dedup/cleaning/segment.py",
    "dedup/cleaning/evidence.py",
    "dedup/cleaning/linescore.py",
    "dedup/cleaning/repeats.py",
    "dedup/cleaning/boilerplate.py",
    "dedup/cleaning/metadata.py",
)
# mypyc puts the code of every module in one shared library named after this
# group, and a small module per file that loads it.
_GROUP = "dedup"


def _wants_mypyc() -> bool:
    """Say whether this build should compile :data:`COMPILED`.

    setuptools names what pip asked for in ``sys.argv``: ``editable_wheel`` for an
    editable install, ``dist_info``/``egg_info``/``sdist`` when it only wants
    metadata or sources, where translating the modules would be wasted.
    """
    choice = os.environ.get("DEDUP_COMPILE", "")
    if choice == "0":
        return False
    if choice != "1" and "editable_wheel" in sys.argv:
        return False
    return any(command in sys.argv for command in ("bdist_wheel", "build", "build_ext",
                                                   "editable_wheel", "install"))


def _mypyc_extensions() -> list[Extension]:
    """Return mypyc's extensions for :data:`COMPILED`, or none where mypyc cannot run."""
    if not _wants_mypyc():
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # PyPy, or a build without the declared build requirements
        return []
    # The same translation whatever the environment holds: mypy reads no installed
    # package (numpy and the other dependencies are Any, as they are in a fresh build
    # environment), so the ignores their stubs need are unused, and the modules the
    # compiled ones import are read for their types only, their errors silent (the
    # mypy run in CI checks them with the real stubs).
    options = ["--no-site-packages", "--ignore-missing-imports", "--follow-imports=silent",
               "--no-warn-unused-ignores"]
    try:
        extensions: list[Extension] = mypycify(
            [*options, *(f"src/{path}" for path in COMPILED)], group_name=_GROUP, opt_level="3")
    except (Exception, SystemExit) as error:
        # A mypy release that reads the source otherwise exits on its errors: the install
        # must still succeed, and the cleaner then runs from source.
        print(f"warning: mypyc could not translate the cleaner ({error!r}); "
              "it runs from its Python source", file=sys.stderr)
        return []
    for extension in extensions:
        extension.optional = True
    return extensions


class OptimisingBuildExt(build_ext):
    """Compile at -O3 with GCC and Clang; build mypyc's modules all or none.

    -O3 whatever the interpreter's own CFLAGS say: some interpreters are built with
    -O2, where GCC does not vectorise the MinHash kernel's loop as well. No
    machine-specific flags: the kernel picks AVX2 itself at run time.

    mypyc's per-module extensions load its shared library: if one of them failed to
    build, the others would fail at import instead of falling back to their source,
    so a failure removes them all.
    """

    def build_extensions(self) -> None:
        if self.compiler.compiler_type == "unix":
            for extension in self.extensions:
                if "-O3" not in extension.extra_compile_args:
                    extension.extra_compile_args = [*extension.extra_compile_args, "-O3"]
        mypyc = [e for e in self.extensions if e.name not in _OWN]
        failed = False
        for extension in self.extensions:
            try:
                self.build_extension(extension)
            except Exception as error:  # compiler and linker errors vary
                if not extension.optional:
                    raise
                failed = failed or extension in mypyc
                self.warn(f"building optional extension {extension.name!r} failed: {error}")
        if failed:
            self.warn("mypyc's build of the cleaner failed; it runs from its Python source")
            for extension in mypyc:
                built = self.get_ext_fullpath(extension.name)
                if os.path.exists(built):
                    os.remove(built)


_KERNEL = Extension("dedup.near._minhash_c", sources=["src/dedup/near/_minhash_c.c"],
                    optional=True)
_OWN = {_KERNEL.name}

setup(
    ext_modules=[_KERNEL, *_mypyc_extensions()],
    cmdclass={"build_ext": OptimisingBuildExt},
)
