using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Crontabs;

/// <summary>The pause of every crontab config, stored so that it outlives restarts (a maintenance window often spans one).</summary>
public sealed class CrontabPauseGrain(
    [PersistentState("crontabPause", OrleansFuncSiloExtensions.StorageName)] IPersistentState<CrontabPause> state,
    TimeProvider clock) : Grain, ICrontabPauseGrain
{
    public static readonly TimeSpan LongestPause = TimeSpan.FromDays(30);

    public Task<CrontabPause> GetAsync() => Task.FromResult(state.RecordExists ? state.State : CrontabPause.None);

    public async Task<CrontabPause> PauseAsync(DateTimeOffset until, string? note, Actor by)
    {
        var now = clock.GetUtcNow();
        if (until <= now || until - now > LongestPause)
        {
            throw DffException.BadRequest("InvalidPause", $"'pausedUntil' is a time in the next {LongestPause.TotalDays} days",
                new { field = "pausedUntil" });
        }
        FieldRules.RequireMaxLength("note", note, FieldRules.MaxTitleLength);
        state.State = new CrontabPause(until, by.Username, note ?? "", now);
        await state.WriteStateAsync();
        return state.State;
    }

    public async Task<CrontabPause> ResumeAsync()
    {
        state.State = CrontabPause.None;
        await state.WriteStateAsync();
        return state.State;
    }
}
