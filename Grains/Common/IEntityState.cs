namespace OrleansFunc.Common;

/// <summary>The stored state of an entity grain: <see cref="Exists"/> is false before creation and after deletion.</summary>
public interface IEntityState
{
    bool Exists { get; }
}
