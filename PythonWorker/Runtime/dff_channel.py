"""The worker's channel to the silo, as the runtime's modules use it: callbacks (questions a run
asks the silo), and the watch on processes a run starts (none of them may use the channel).

`install` is called once by the worker; `callback` may be called by any run afterwards.
"""

import _thread
import ctypes
import json
import os
import sys

import dff_protocol

_PR_SET_CHILD_SUBREAPER = 36

_PROCESS_EVENTS = frozenset(['os.fork', 'os.forkpty', 'os.posix_spawn', 'os.spawn', 'os.system', 'os.exec',
                             'subprocess.Popen', 'pty.spawn', 'os.startfile'])

_host = None
_worker_pid = None
_forked = False
# One question at a time on the worker's one channel: pythonnet lets go of the GIL in every .NET call, so the threads of a
# run (DFF.THREAD) would otherwise write their frames over each other and read each other's answers.
_asking = _thread.allocate_lock()


def install(host):
    """Keeps the channel and starts watching for processes runs start."""
    global _host, _worker_pid
    _host = host
    _worker_pid = os.getpid()
    os.register_at_fork(after_in_parent=_note_fork)
    # subprocess, spawn and system start processes without the at-fork hooks; ctypes could fork
    # directly. A run that did any of these makes the silo look for processes it left.
    sys.addaudithook(_note_process_events)
    # Orphans of forked processes come back to the worker, so the silo sees them as its children.
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def callback(name, **args):
    """Asks the silo something; raises LookupError with the silo's message when it cannot answer."""
    require_worker_process()
    if name not in dff_protocol.CALLBACKS:
        raise ValueError('%r is not a callback of the worker protocol' % (name,))
    question = json.dumps(args, ensure_ascii=False)
    try:
        question.encode('utf-8')
    except UnicodeEncodeError:
        # A lone surrogate ('\ud800') is no character: the silo could neither read nor store it.
        raise ValueError("%s: a string holds a lone surrogate (such as '\\ud800'), which is not text" % name) from None
    with _asking:
        answer = str(_host.Callback(name, question))
    reply = json.loads(answer)
    if not reply.get('ok'):
        raise LookupError(reply.get('error') or 'callback %s failed' % name)
    return reply.get('value')


def require_worker_process():
    """A process forked by user code must never talk on the worker's channel: it ends here."""
    if os.getpid() != _worker_pid:
        os._exit(1)


def start_run():
    """Forgets the processes of the previous run."""
    global _forked
    _forked = False


def run_forked():
    """Whether the current run started a process (the silo then looks for ones it left)."""
    return _forked


def _note_fork():
    global _forked
    _forked = True


def _note_process_events(event, args):
    if event in _PROCESS_EVENTS or event.startswith('ctypes.'):
        _note_fork()
