# Mounted over a package that a grading kernel must not import (view.masked_packages).
raise ImportError(f"{__name__} is not available while your work is graded")
