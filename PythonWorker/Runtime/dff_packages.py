"""The Python packages administrators installed for scripts, on a worker's path.

The folder is one generation of them, unpacked by the silo (read-only to workers). It goes before the
system's site folders, so that an installed version wins over the one Debian ships, as it would after
`pip install` on DataFlux Func; the standard library and the DFF runtime stay first. Its `.pth` files
are honoured, as in any site folder.
"""

import site
import sys


def use_folder(path):
    before = list(sys.path)
    site.addsitedir(path)
    added = [entry for entry in sys.path if entry not in before]
    for entry in added:
        sys.path.remove(entry)
    first_site = next(
        (index for index, entry in enumerate(sys.path) if entry.rstrip('/').endswith(('site-packages', 'dist-packages'))),
        len(sys.path))
    sys.path[first_site:first_site] = added
