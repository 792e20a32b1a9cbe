"""Shared test setup: Qt runs offscreen, and QSettings (recent files) write into a throwaway folder.

Both must be set before Qt is imported.
"""

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="regstudio-test-config-")
