"""Build dedup's optional compiled MinHash kernel; everything else is in pyproject.toml.

The extension is optional: where no C compiler works (``CC=/bin/false``, no
build tools, an unusual platform) setuptools warns and the wheel is built
without it, and ``dedup.near.minhash`` falls back to numpy with identical
results (docs/near-duplicates.md, "The compiled kernel").
"""

from __future__ import annotations

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptimisingBuildExt(build_ext):
    """Compile at -O3 with GCC and Clang, whatever the interpreter's own CFLAGS say.

    Some interpreters are built with -O2, where GCC does not vectorise the kernel's
    loop as well. No machine-specific flags: the kernel picks AVX2 itself at run time.
    """

    def build_extensions(self) -> None:
        if self.compiler.compiler_type == "unix":
            for extension in self.extensions:
                extension.extra_compile_args = [*extension.extra_compile_args, "-O3"]
        super().build_extensions()


setup(
    ext_modules=[
        Extension("dedup.near._minhash_c", sources=["src/dedup/near/_minhash_c.c"],
                  optional=True),
    ],
    cmdclass={"build_ext": OptimisingBuildExt},
)
