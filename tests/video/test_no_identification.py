"""Acceptance 6: no face recognition, face embedding, re-identification or other biometric
identification, neither installed nor in the source. The check must fail when such a package
is installed: the last test installs a minimal `face_recognition` distribution into a
temporary environment (a directory on the path, no download) and runs this very check there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import vigil
from vigil.video.worker.no_identification import installed_findings, source_findings

SOURCE = Path(vigil.__file__).parent
REPOSITORY = SOURCE.parent.parent
CHECKER = SOURCE / "video" / "worker" / "no_identification.py"


def test_no_identification_package_or_model_is_installed() -> None:
    findings = installed_findings()
    assert findings == [], "\n".join(f"{f.where}: {f.what}" for f in findings)


def test_no_source_file_calls_an_identification_api() -> None:
    roots = [SOURCE] + [
        REPOSITORY / name for name in ("bench", "tests") if (REPOSITORY / name).is_dir()
    ]
    findings = [
        f for root in roots for f in source_findings(root, allowed=[CHECKER, Path(__file__)])
    ]
    assert findings == [], "\n".join(f"{f.where}: {f.what}" for f in findings)


def _fake_distribution(root: Path, name: str, version: str = "1.3.0") -> None:
    info = root / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "RECORD").write_text(f"{name}/__init__.py,,\n{name}-{version}.dist-info/METADATA,,\n")
    (root / name).mkdir()
    (root / name / "__init__.py").write_text("")


def test_the_source_check_sees_identification_code(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text(
        "import cv2\nrecognizer = cv2.FaceRecognizerSF.create('m', '')\n"
    )
    (tmp_path / "worse.py").write_text("from insightface.app import FaceAnalysis\n")
    (tmp_path / "fine.py").write_text('"""We never use face_recognition or re-identification."""\n')
    found = sorted(Path(f.where.split(":")[0]).name for f in source_findings(tmp_path))
    assert found == ["bad.py", "worse.py"]


def test_the_check_fails_once_a_face_recognition_package_is_installed(tmp_path: Path) -> None:
    environment = tmp_path / "site-packages"
    _fake_distribution(environment, "face_recognition")
    models = environment / "face_recognition_models-0.3.0.dist-info"
    models.mkdir()
    (models / "METADATA").write_text("Metadata-Version: 2.1\nName: helper-models\nVersion: 0.3.0\n")
    (models / "RECORD").write_text(
        "face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat,,\n"
    )
    findings = installed_findings([str(environment), *sys.path])
    assert {f.where.split(":")[0].split(" ")[0] for f in findings} == {
        "face_recognition",
        "helper-models",
    }
    # and the test above, run in that environment, fails
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(environment), os.environ.get("PYTHONPATH", "")]),
    }
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            f"{__file__}::test_no_identification_package_or_model_is_installed",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 1, run.stdout
    assert "face_recognition 1.3.0: an identification package is installed" in run.stdout
