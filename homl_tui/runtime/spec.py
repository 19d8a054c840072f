"""What to run: the parameters of one run, sent to the worker as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class RunSpec:
    """One run of a learner file, either as a script (``run``) or under its check (``check``)."""

    mode: str  # "run" or "check"
    target: str  # the Python file to execute (learner draft, solution or mutant)
    exercise_dir: str | None = None  # holds check.py, solution.py, starter.py
    data_dir: str | None = None  # the project's data/ folder
    cwd: str | None = None
    strict: bool = False  # lint: run the check even if the file equals the starter
    seed: int = 0
    frameworks: list[str] = field(default_factory=list)
    device: str = "auto"
    timeout_s: float = 60.0
    memory_mb: int = 4096
    threads: int = 1
    output_limit: int = 1 << 20  # bytes of stdout+stderr forwarded to the observer
    env: dict[str, str] = field(default_factory=dict)
    label: str = ""
    checkpoint_dir: str | None = None  # run mode: where report.save_checkpoint writes
    resume_file: str | None = None  # run mode: the checkpoint report.load_checkpoint returns

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> RunSpec:
        data: dict[str, Any] = json.loads(text)
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})
