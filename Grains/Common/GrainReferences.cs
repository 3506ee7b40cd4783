using System.Collections.Concurrent;
using Orleans.GrainReferences;
using Orleans.Metadata;

namespace OrleansFunc.Common;

/// <summary>
/// References to string-keyed grains for hot paths. <c>IGrainFactory.GetGrain</c> looks the
/// interface's attributes up by reflection on every call (about a twentieth of an auth-link call's
/// CPU); here the grain and interface types are resolved once per interface, and each reference is
/// made by Orleans's reference activator, as GetGrain itself does after its lookup.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains, GrainReferenceActivator activator, GrainInterfaceTypeResolver interfaces)
{
    private readonly ConcurrentDictionary<Type, (GrainType Grain, GrainInterfaceType Interface)> _types = new();

    public T Get<T>(string key) where T : IGrainWithStringKey
    {
        var types = _types.GetOrAdd(typeof(T), static (type, factory) => factory.Resolve(type), this);
        return (T)(object)activator.CreateReference(GrainId.Create(types.Grain, IdSpan.Create(key)), types.Interface);
    }

    private (GrainType, GrainInterfaceType) Resolve(Type interfaceType) =>
        (((IAddressable)grains.GetGrain(interfaceType, "type-probe")).GetGrainId().Type, interfaces.GetGrainInterfaceType(interfaceType));
}
