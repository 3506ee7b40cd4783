"""paho-mqtt (1.x) makes its wake-up socket pair through a loopback listener, which the worker's
sandbox refuses (scripts may not listen): once its client module is loaded, it gets the system's
socket pair instead, which needs no address."""

import sys


class LoopbackFreePaho:
    """A meta path finder that patches paho's client module as it loads."""

    _NAME = 'paho.mqtt.client'

    def find_spec(self, name, path=None, target=None):
        if name != self._NAME:
            return None
        import importlib.util
        import socket
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            load = spec.loader.exec_module

            def exec_module(module):
                load(module)
                if hasattr(module, '_socketpair_compat'):
                    module._socketpair_compat = socket.socketpair
            spec.loader.exec_module = exec_module
        return spec
