"""Pick the compute device: CUDA, then Apple's MPS, then the CPU.

Runs inside the worker (it imports torch). ``python -m homl_tui.runtime.device``
prints the choice as JSON, which the UI uses to show the device without
importing torch itself.
"""

from __future__ import annotations

import json
import os
import sys

ENV_DEVICE = "HOML_TUI_DEVICE"


def default_device() -> str:
    """The device learner code should use: the run's choice, else CUDA, MPS or CPU."""
    return os.environ.get(ENV_DEVICE) or pick_device()[0]


def pick_device(requested: str = "auto") -> tuple[str, str]:
    """Return ``(device, human name)``. ``requested`` is ``auto``, ``cpu``, ``cuda`` or ``mps``."""
    try:
        import torch
    except ImportError:
        return "cpu", "CPU (torch not installed)"
    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    if requested in ("auto", "cuda") and cuda:
        return "cuda", torch.cuda.get_device_name(0)
    if requested in ("auto", "mps") and mps:
        return "mps", "Apple GPU (MPS)"
    note = ""
    if requested in ("cuda", "mps"):
        note = f" ({requested} requested but not available)"
    return "cpu", f"CPU{note}"


def main() -> int:
    device, name = pick_device(sys.argv[1] if len(sys.argv) > 1 else "auto")
    print(json.dumps({"device": device, "name": name}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
