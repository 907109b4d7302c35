import sys
from pathlib import Path

# tests/builders.py is imported as `builders` by every test module.
sys.path.insert(0, str(Path(__file__).parent))
