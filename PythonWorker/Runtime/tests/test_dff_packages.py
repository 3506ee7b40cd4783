import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))

import dff_packages  # noqa: E402


class UseFolderTests(unittest.TestCase):
    def setUp(self):
        self.saved = list(sys.path)

    def tearDown(self):
        sys.path[:] = self.saved

    def test_folder_goes_before_the_system_site_folders_and_after_the_standard_library(self):
        sys.path[:] = ['/runtime', '/usr/lib/python3.11', '/usr/local/lib/python3.11/dist-packages', '/usr/lib/python3/dist-packages']
        with tempfile.TemporaryDirectory() as folder:
            dff_packages.use_folder(folder)
            self.assertEqual(['/runtime', '/usr/lib/python3.11', folder,
                              '/usr/local/lib/python3.11/dist-packages', '/usr/lib/python3/dist-packages'], sys.path)

    def test_pth_files_of_the_folder_add_their_paths_too(self):
        sys.path[:] = ['/usr/lib/python3.11', '/usr/lib/python3/dist-packages']
        with tempfile.TemporaryDirectory() as folder:
            os.mkdir(os.path.join(folder, 'extra'))
            with open(os.path.join(folder, 'extra.pth'), 'w') as pth:
                pth.write('extra\n')
            dff_packages.use_folder(folder)
            self.assertEqual(['/usr/lib/python3.11', folder, os.path.join(folder, 'extra'), '/usr/lib/python3/dist-packages'], sys.path)


if __name__ == '__main__':
    unittest.main()
