"""Local tooling for the provider: the offline SageMaker inference-experiment emulator.

Never shipped in the Lambda package. Import `sandbox.emulator` to run it in-process.
"""
