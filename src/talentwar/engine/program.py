"""The compiled program for one shape of scenario: traced once, kept on disk, loaded after.

A process that runs the model needs its compiled program. XLA's persistent cache (in the
user's cache directory, or TALENTWAR_CACHE_DIR) keeps compiled code between processes, but it
is keyed by the lowered program, so every process would still trace the model (36 months of
about a thousand operations, vmapped: 2.6 s for the default scenario on the 2-core machine)
and lower it (0.5 s) only to find the code already compiled. So the first process that needs
a shape also exports the traced program (jax.export: serialized StableHLO) next to the
compiled code; later processes deserialize it, which takes milliseconds, and get the compiled
code from XLA's cache. Every process runs the deserialized program, the first one included,
so a run's numbers never depend on which process traced it.

A file's name hashes everything the traced program depends on: talentwar's source, the JAX
and jaxlib versions, the backend, the shapes and dtypes of the parameters and the lane width.
An edit to the engine therefore never finds a stale program; a file that cannot be read is
traced again and rewritten.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
from jax import export
from platformdirs import user_cache_dir

from talentwar.engine.params import Params

_PROGRAMS: dict = {}
_MAX_PROGRAMS = 16  # programs kept in memory; the oldest goes first


def cache_dir() -> Path:
    return Path(os.environ.get("TALENTWAR_CACHE_DIR") or Path(user_cache_dir("talentwar")) / "jax")


@functools.cache
def configure_compilation_cache() -> Path:
    path = cache_dir()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return path  # an unwritable cache only costs compile time
    jax.config.update("jax_compilation_cache_dir", str(path))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    return path


def executable(replicate: Callable, shape: Hashable, width: int, params: Params, outputs: Any, lane_params: bool = False) -> Callable:
    """`replicate(params, seed, replication)` vmapped over `width` replications and compiled:
    a function (params, seed, replication ids [width]) -> the tree `outputs` of arrays.

    `shape` names what replicate's trace depends on besides the parameters' shapes (the
    scenario's dimensions and months, say). With `lane_params` every lane has its own parameters:
    `params` gives one lane's, and the program takes each leaf with a leading axis of `width` (the
    lanes are parameter points of an exploration). Built once per process, before any thread runs it.
    """
    leaves, tree = jax.tree_util.tree_flatten(params)
    lanes = (width,) if lane_params else ()
    specs = [jax.ShapeDtypeStruct(lanes + np.shape(x), jnp.asarray(x).dtype) for x in leaves]
    specs += [jax.ShapeDtypeStruct((), jnp.uint32), jax.ShapeDtypeStruct((width,), jnp.int32)]
    key = (shape, width, lane_params, tree, tuple((s.shape, str(s.dtype)) for s in specs))
    if key not in _PROGRAMS:
        configure_compilation_cache()

        def flat(*arrays):
            batched = jax.vmap(replicate, in_axes=(0 if lane_params else None, None, 0))
            return jax.tree_util.tree_leaves(batched(jax.tree_util.tree_unflatten(tree, arrays[:-2]), *arrays[-2:]))

        exported = _exported(flat, key, specs)
        if len(exported.out_avals) != outputs.num_leaves:
            raise RuntimeError(f"the program returns {len(exported.out_avals)} arrays, not the {outputs.num_leaves} expected")
        call = jax.jit(exported.call).lower(*specs).compile(compiler_options())

        def program(params: Params, seed: jax.Array, replications: jax.Array):
            return jax.tree_util.tree_unflatten(outputs, call(*jax.tree_util.tree_leaves(params), seed, replications))

        if len(_PROGRAMS) >= _MAX_PROGRAMS:
            del _PROGRAMS[next(iter(_PROGRAMS))]
        _PROGRAMS[key] = program
    return _PROGRAMS[key]


def compiler_options() -> dict[str, str]:
    """XLA options the engine's programs compile with: on a CPU, no YNNPACK library fusions.

    XLA's CPU backend hands reductions (and dots) to YNNPACK by default; for the engine's many
    small reductions its own code is faster: the full model's month at N = 100,000, F = 50 took
    about 10% less (docs/performance.md). They are compile options of the program, not XLA_FLAGS, so a
    run's numbers do not depend on whether something else initialised JAX first.
    """
    return {"xla_cpu_experimental_ynn_fusion_type": ""} if jax.default_backend() == "cpu" else {}


def _exported(flat: Callable, key: tuple, specs: list) -> export.Exported:
    """The traced program from the cache directory, or traced now and saved there."""
    path = cache_dir() / "programs" / f"{_digest(key)}.stablehlo"
    try:
        return export.deserialize(bytearray(path.read_bytes()))
    except Exception:  # missing, partly written by a killed process, or from an incompatible JAX
        pass
    exported = export.export(jax.jit(flat))(*specs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".partial", delete=False) as handle:
            handle.write(exported.serialize())
        os.replace(handle.name, path)
    except OSError:
        pass  # an unwritable cache only costs tracing time
    return exported


def _digest(key: tuple) -> str:
    import jaxlib

    text = repr((key, jax.__version__, jaxlib.__version__, jax.default_backend(), _source_digest()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@functools.cache
def _source_digest() -> str:
    """A hash of every Python file of the installed talentwar package."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]  # src/talentwar
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
