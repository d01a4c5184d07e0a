"""Reading a mechanism's on/off switch from params (data, not a Python branch)."""

from __future__ import annotations

import jax

from talentwar.engine.params import MECHANISM_INDEX, Params


def switch(params: Params, key: str) -> jax.Array:
    """1.0 when mechanism `key` (e.g. "M10") is on, 0.0 when off."""
    return params.on[MECHANISM_INDEX[key]]
