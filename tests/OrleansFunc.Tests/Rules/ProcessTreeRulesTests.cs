using System.Diagnostics;
using OrleansFunc.Engine;
using OrleansFunc.Tests.Infrastructure;
using Xunit;

namespace OrleansFunc.Tests.Rules;

/// <summary>The parent links the engine reads from <c>/proc</c>: a process this one started descends from it, and the census finds it.</summary>
public sealed class ProcessTreeRulesTests
{
    [Fact]
    public void AChildProcess_DescendsFromItsParent_AndTheCensusListsIt()
    {
        // A program whose name has spaces and parentheses (its /proc stat reads "pid (odd) (name) x) S ppid ..."):
        // the parent is read after the last ')'.
        var folder = TestPaths.NewTempFolder("process-tree");
        var program = Path.Combine(folder, "odd) (name) x");
        File.Copy("/bin/sleep", program);
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        using var child = Process.Start(program, "30");
        try
        {
            Assert.True(ProcessTree.Descends(child.Id, Environment.ProcessId));
            Assert.False(ProcessTree.Descends(Environment.ProcessId, child.Id));
            Assert.Contains(child.Id, new ProcessTree.Snapshot().DescendantsOf(Environment.ProcessId));
        }
        finally
        {
            child.Kill();
            Directory.Delete(folder, recursive: true);
        }
    }
}
