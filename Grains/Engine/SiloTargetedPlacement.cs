using Orleans.Placement;
using Orleans.Runtime.Placement;

namespace OrleansFunc.Engine;

/// <summary>
/// Places a grain keyed by a silo's address (<c>SiloAddress.ToParsableString()</c>) on that silo and
/// nowhere else: the way to talk to one silo's own resources (its worker pools) through Orleans.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloTargetedPlacement : PlacementStrategy
{
    public static readonly SiloTargetedPlacement Instance = new();

    /// <summary>The grain key that names <paramref name="silo"/>.</summary>
    public static string KeyOf(SiloAddress silo) => silo.ToParsableString();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloTargetedPlacementAttribute() : PlacementAttribute(SiloTargetedPlacement.Instance);

/// <summary>Refuses to place the grain of a silo that is not an active member: its runs go elsewhere.</summary>
public sealed class SiloTargetedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var silo = SiloAddress.FromParsableString(key);
        if (!context.GetCompatibleSilos(target).Contains(silo))
        {
            // Rejected, never delivered: the caller may send the run to another silo.
            throw new SiloNotMemberException($"Silo {key} is not an active member of the cluster");
        }
        return Task.FromResult(silo);
    }
}
