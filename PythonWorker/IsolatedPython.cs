using System.Runtime.InteropServices;

namespace OrleansFunc.PythonWorker;

/// <summary>
/// Python as <c>python3 -I</c> starts it: no user site-packages, no <c>PYTHON*</c> environment
/// variables, no working folder on <c>sys.path</c>. Nothing a script wrote into a home folder or
/// left in the environment runs when the next worker starts. Set through CPython's configuration
/// globals, which <c>Py_Initialize</c> still reads in 3.11 (pythonnet offers no PyConfig).
/// </summary>
internal static class IsolatedPython
{
    public static void Configure(string pythonLibrary)
    {
        var library = NativeLibrary.Load(pythonLibrary);
        foreach (var flag in (string[])["Py_IsolatedFlag", "Py_NoUserSiteDirectory", "Py_IgnoreEnvironmentFlag", "Py_DontWriteBytecodeFlag"])
        {
            Marshal.WriteInt32(NativeLibrary.GetExport(library, flag), 1);
        }
    }
}
