"""Facts every layer of the sandbox shares; imports nothing from the sandbox."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = PROJECT_ROOT / "aws-sagemaker-inferenceexperiment.json"
