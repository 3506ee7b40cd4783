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

    [Fact]
    public void ResidentMemory_IsTheProcesssOwn_AndNothingOnceItIsGone()
    {
        const long MiB = 1024 * 1024;
        using var self = Process.GetCurrentProcess();
        Assert.InRange(ProcessTree.ResidentMb(Environment.ProcessId), self.WorkingSet64 / MiB / 2, self.WorkingSet64 / MiB * 2);

        using var child = Process.Start("/bin/true")!;
        child.WaitForExit();
        Assert.Equal(0, ProcessTree.ResidentMb(child.Id));
    }

    [Fact]
    public void ARecentCensus_IsSharedForHalfASecond()
    {
        var first = ProcessTree.Snapshot.Recent();
        Assert.Same(first, ProcessTree.Snapshot.Recent());
        Thread.Sleep(ProcessTree.Snapshot.Shared + TimeSpan.FromMilliseconds(50));
        Assert.NotSame(first, ProcessTree.Snapshot.Recent());
    }
}
