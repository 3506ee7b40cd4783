"""`import set__script` (any set) and `import __script` (the importing script's set) in user scripts: published
scripts, loaded once per run, so both names of a script give the same module."""

import builtins
import importlib.machinery
import re
import sys

from dff_channel import callback

_SCRIPT_ID = re.compile(r'^[a-zA-Z_][a-zA-Z0-9_]*?__[a-zA-Z_][a-zA-Z0-9_]*$')


def _importing_set(run):
    """The set of the script whose `import __x` this is (1.x: the importing module's `__name__`): the innermost frame of
    one of the run's scripts, below the import machinery's own."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get('__name__')
        if name == run.script_id or name in run.modules:
            return name.split('__', 1)[0]
        frame = frame.f_back
    return run.script_id.split('__', 1)[0]


def _is_short_script_name(name):
    return name.startswith('__') and not name.endswith('__')  # `__future__` and the like are Python's


def install_short_names(current_run):
    """Makes a script's `import __x` import its own set's `set__x` by that full name (1.x's per-scope `__import__`).
    Python keeps a module in `sys.modules` by the name it was imported as, so a bare `__x` imported for one set would be
    the answer to every other set's `import __x` in the same run."""
    original = builtins.__import__

    def import_(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and isinstance(globals, dict) and isinstance(name, str) and _is_short_script_name(name):
            run = current_run()
            importer = globals.get('__name__')
            if run is not None and isinstance(importer, str) and (importer == run.script_id or importer in run.modules):
                name = importer.split('__', 1)[0] + name
        return original(name, globals, locals, fromlist, level)

    builtins.__import__ = import_


class ScriptImporter:
    """Finds scripts for the current run (`current_run()`: None between runs), which executes them. A meta path finder
    and loader by its methods: `importlib.abc` would import `importlib.resources` and `pathlib` into every worker."""

    def __init__(self, current_run):
        self._current_run = current_run

    def find_spec(self, fullname, path, target=None):
        run = self._current_run()
        if run is None or path is not None or (fullname.startswith('__') and fullname.endswith('__')):
            return None
        # A short name that did not come through `install_short_names` (`importlib.import_module('__x')`).
        script_id = _importing_set(run) + fullname if fullname.startswith('__') else fullname
        if not _SCRIPT_ID.match(script_id):
            return None
        if script_id not in run.modules:
            try:
                run.pending_imports[script_id] = callback('getPublishedCode', scriptId=script_id)
            except LookupError:
                return None
        spec = importlib.machinery.ModuleSpec(fullname, self)
        spec.loader_state = script_id
        return spec

    def create_module(self, spec):
        return self._current_run().modules.get(spec.loader_state)

    def exec_module(self, module):
        run = self._current_run()
        script_id = module.__spec__.loader_state
        run.imported.append(module.__spec__.name)
        if script_id in run.modules:
            return
        published = run.pending_imports.pop(script_id)
        run.modules[script_id] = module
        run.user_files.add(script_id)
        run.execute(script_id, published['code'], published['codeMD5'], module.__dict__)
