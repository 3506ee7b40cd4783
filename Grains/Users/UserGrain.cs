using OrleansFunc.Common;
using OrleansFunc.Errors;
using OrleansFunc.Hosting;

namespace OrleansFunc.Users;

public sealed class UserGrain(
    [PersistentState("user", OrleansFuncSiloExtensions.StorageName)] IPersistentState<UserState> state,
    TimeProvider clock) : Grain, IUserGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<UserInfo> CreateAsync(string username, string password, UserRole role)
    {
        UserRules.RequireValidUsername(username);
        UserRules.RequireValidPassword("password", password);
        if (state.State.Exists)
        {
            throw DffException.Duplicated("UserExists", $"User '{Id}' already exists", new { id = Id });
        }
        var now = clock.GetUtcNow();
        return await SaveAsync(new UserState
        {
            Exists = true,
            Username = username,
            PasswordHash = PasswordHasher.Hash(password),
            Name = username,
            Role = role,
            CreateTime = now,
            UpdateTime = now,
        });
    }

    public Task<UserInfo> GetAsync()
    {
        RequireExists();
        return Task.FromResult(ToInfo());
    }

    public Task<UserInfo> VerifyPasswordAsync(string password)
    {
        if (!state.State.Exists || !PasswordHasher.Verify(password, state.State.PasswordHash))
        {
            throw new DffException(ErrorKind.BadPassword, null, "Invalid username or password");
        }
        if (state.State.IsDisabled)
        {
            throw new DffException(ErrorKind.UserDisabled, null, "This user is disabled");
        }
        return Task.FromResult(ToInfo());
    }

    public async Task ChangePasswordAsync(string currentPassword, string newPassword)
    {
        RequireExists();
        if (!PasswordHasher.Verify(currentPassword, state.State.PasswordHash))
        {
            throw new DffException(ErrorKind.BadPassword, "WrongCurrentPassword", "The current password is wrong");
        }
        UserRules.RequireValidPassword("newPassword", newPassword);
        await SaveAsync(state.State with { PasswordHash = PasswordHasher.Hash(newPassword), UpdateTime = clock.GetUtcNow() });
    }

    public async Task<UserInfo> UpdateProfileAsync(ProfileChange change)
    {
        RequireExists();
        UserRules.RequireValidProfile(change);
        return await SaveAsync(state.State with
        {
            Name = change.Name ?? state.State.Name,
            Email = change.Email ?? state.State.Email,
            UpdateTime = clock.GetUtcNow(),
        });
    }

    private async Task<UserInfo> SaveAsync(UserState next)
    {
        state.State = next;
        await state.WriteStateAsync();
        return ToInfo();
    }

    private void RequireExists()
    {
        if (!state.State.Exists)
        {
            throw DffException.NotFound("NoSuchUser", $"No such user: '{Id}'", new { id = Id });
        }
    }

    private UserInfo ToInfo()
    {
        var s = state.State;
        return new UserInfo(Id, s.Username, s.Name, s.Email, s.Role, s.IsDisabled, s.CreateTime, s.UpdateTime);
    }
}
