# The compiled MinHash kernel (src/dedup/near/_minhash_c.c); optional, see dedup.near.minhash.
import numpy as np
import numpy.typing as npt

VARIANTS: tuple[str, ...]

def signatures(shingles: npt.NDArray[np.uint64], offsets: npt.NDArray[np.int64],
               a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32],
               out: npt.NDArray[np.uint32], variant: str = ..., /) -> None: ...
