using System.Runtime.InteropServices;

namespace OrleansFunc.PythonWorker;

/// <summary>
/// Python as <c>python3 -I</c> starts it: no user site-packages, no <c>PYTHON*</c> environment
/// variables, no working folder on <c>sys.path</c>. Nothing a script wrote into a home folder or
/// left in the environment runs when the next worker starts. Set through CPython's configuration
/// globals, which <c>Py_Initialize</c> still reads in 3.11 (pythonnet offers no PyConfig).
/// </summary>
/// <remarks>
/// The worker starts the interpreter itself, before pythonnet attaches to it (pythonnet takes an interpreter that is
/// already running as it finds it): pythonnet's import hook subclasses <c>importlib.abc</c>'s two base classes, and in
/// 3.11 importing <c>importlib.abc</c> imports <c>importlib.resources</c> with <c>typing</c>, <c>pathlib</c>,
/// <c>tempfile</c>, <c>shutil</c>, <c>bz2</c>, <c>lzma</c> and <c>random</c>, 32 modules no run needs: a fifth of a
/// worker's start and 2.4 MiB of it. Until pythonnet has made its hook, <c>importlib.abc</c> is a module holding only
/// those two classes (the same <c>Loader</c>; a <c>MetaPathFinder</c> with the real one's single method); then it is
/// forgotten, so a script that imports <c>importlib.abc</c> gets the real module.
/// </remarks>
internal static unsafe class IsolatedPython
{
    // The light module's docstring, which says what it is and marks it for ForgetLightImportlibAbc.
    private const string LightDoc = "importlib.abc until pythonnet has made its import hook";

    private const string LightImportlibAbc = $$"""
        import abc, importlib, importlib._abc, importlib.machinery, sys, types
        _light = types.ModuleType('importlib.abc', '{{LightDoc}}')
        _light.Loader = importlib._abc.Loader
        class MetaPathFinder(metaclass=abc.ABCMeta):
            def invalidate_caches(self):
                pass
        MetaPathFinder.__module__ = 'importlib.abc'
        _light.MetaPathFinder = MetaPathFinder
        sys.modules['importlib.abc'] = importlib.abc = _light
        del _light, MetaPathFinder
        """;

    private const string ForgetLightImportlibAbc = $$"""
        import importlib, sys
        if getattr(sys.modules.get('importlib.abc'), '__doc__', None) == '{{LightDoc}}':
            del sys.modules['importlib.abc'], importlib.abc
        """;

    private static nint _library;

    /// <summary>Starts the interpreter from <paramref name="pythonLibrary"/>, isolated, with the light
    /// <c>importlib.abc</c> in place; <see cref="Attached"/> is called once pythonnet has initialized.</summary>
    public static void Start(string pythonLibrary)
    {
        _library = NativeLibrary.Load(pythonLibrary);
        foreach (var flag in (string[])["Py_IsolatedFlag", "Py_NoUserSiteDirectory", "Py_IgnoreEnvironmentFlag", "Py_DontWriteBytecodeFlag"])
        {
            Marshal.WriteInt32(NativeLibrary.GetExport(_library, flag), 1);
        }
        // No signal handlers of Python's own, as pythonnet would start it (initsigs 0).
        ((delegate* unmanaged<int, void>)NativeLibrary.GetExport(_library, "Py_InitializeEx"))(0);
        Run(LightImportlibAbc);
    }

    /// <summary>pythonnet has made its import hook: the real <c>importlib.abc</c> from now on.</summary>
    public static void Attached() => Run(ForgetLightImportlibAbc);

    private static void Run(string code)
    {
        var run = (delegate* unmanaged<byte*, int>)NativeLibrary.GetExport(_library, "PyRun_SimpleString");
        fixed (byte* text = System.Text.Encoding.UTF8.GetBytes(code + "\0"))
        {
            if (run(text) != 0)
            {
                throw new InvalidOperationException("Python refused the worker's start code (its traceback is on stderr)");
            }
        }
    }
}
