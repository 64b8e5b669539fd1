"""The no-identification rule, checked: no installed distribution and no source file of Vigil
may do face recognition, face embedding, person re-identification or other biometric
identification. `vigil video check-no-identification` and the test suite both run it."""

from __future__ import annotations

import importlib.metadata as metadata
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# distributions (PEP 503 names) that identify people: face recognition and embeddings,
# person re-identification, gait recognition
FORBIDDEN_DISTRIBUTIONS = frozenset(
    {
        "face-recognition",
        "face-recognition-models",
        "insightface",
        "deepface",
        "facenet-pytorch",
        "keras-facenet",
        "arcface",
        "compreface-sdk",
        "torchreid",
        "deep-person-reid",
        "fastreid",
        "fast-reid",
        "opengait",
    }
)
# model files that only identification uses
FORBIDDEN_FILES = re.compile(
    r"(dlib_face_recognition_resnet_model|face_recognition_sface|arcface|osnet_x\d|resnet50_market|"
    r"glintr100|w600k_r50|buffalo_l)",
    re.IGNORECASE,
)
# code that calls identification APIs
FORBIDDEN_CODE = re.compile(
    r"(^\s*(import|from)\s+(face_recognition|insightface|deepface|facenet_pytorch|torchreid|fastreid)\b"
    r"|FaceRecognizerSF|FaceDetectorYN|face_recognition_model_v1|dlib\.face_recognition"
    r"|\.face_encodings\(|DeepFace\.(represent|verify|find))",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Finding:
    where: str
    what: str


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_findings(paths: Iterable[str] | None = None) -> list[Finding]:
    """Forbidden distributions (by name) and identification model files among the installed
    distributions on `paths` (sys.path when None)."""
    found = []
    distributions = (
        metadata.distributions(path=list(paths)) if paths is not None else metadata.distributions()
    )
    for dist in distributions:
        name = dist.metadata["Name"] or ""
        if _normal(name) in FORBIDDEN_DISTRIBUTIONS:
            found.append(
                Finding(f"{name} {dist.version}", "an identification package is installed")
            )
            continue
        for file in dist.files or ():
            if FORBIDDEN_FILES.search(str(file)):
                found.append(Finding(f"{name}: {file}", "ships an identification model"))
    return found


def source_findings(root: Path, allowed: Iterable[Path] = ()) -> list[Finding]:
    """Python files under `root` that import or call identification APIs. `allowed` are the
    files that name these APIs only to forbid them (this checker and its test)."""
    skip = {path.resolve() for path in allowed}
    found = []
    for path in sorted(root.rglob("*.py")):
        if path.resolve() in skip or ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in FORBIDDEN_CODE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Finding(f"{path}:{line}", match.group(0).strip()))
    return found
