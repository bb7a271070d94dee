"""Local tooling for the provider: the offline SageMaker inference-experiment emulator, the
Lambda stand-in, the CloudFormation driver, the rehearsal, reliability and benchmark suites.

Never shipped in the Lambda package. It runs from the project root and imports the handler
package from src/, as the Lambda runtime would from the package root.
"""

import sys
from pathlib import Path

_SOURCE = str(Path(__file__).resolve().parent.parent / "src")
if _SOURCE not in sys.path:
    sys.path.insert(0, _SOURCE)
