using Xunit;

namespace OrleansFunc.Tests.Infrastructure;

/// <summary>Waiting for silos to join a test cluster.</summary>
public static class ClusterMembers
{
    /// <summary>Waits (up to 90 s) until <paramref name="web"/> reports <paramref name="count"/> active silos.</summary>
    public static async Task WaitForMembersAsync(this TestServer web, string token, int count, HostProcess silo)
    {
        var members = await Eventually.ValueAsync($"{count} active silos", async () =>
        {
            Assert.False(silo.HasExited, $"The Silo exited:\n{silo.Output}");
            return (await web.GetAsync("/api/v1/about", token)).AssertOk().GetProperty("clusterMembers").GetArrayLength();
        }, members => members >= count, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
        Assert.True(members == count, $"expected {count} active silos, saw {members}. Silo output:\n{silo.Output}");
    }
}
