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

    public async Task<UserInfo> SignInThroughFuncAsync(string funcId, string username, string name)
    {
        var current = state.State;
        if (current.Exists && current.SignInFuncId != funcId)
        {
            throw DffException.Condition("NotAFuncUser", $"User '{Id}' does not sign in through func '{funcId}'", new { id = Id });
        }
        if (current.IsDisabled)
        {
            throw new DffException(ErrorKind.BadPassword, null, "Invalid username or password");
        }
        var now = clock.GetUtcNow();
        if (!current.Exists)
        {
            var info = await SaveAsync(new UserState
            {
                Exists = true, Username = username, Name = name, Role = UserRole.Member, SignInFuncId = funcId, CreateTime = now, UpdateTime = now,
            });
            await GrainFactory.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).AddFuncUserAsync(Id);
            return info;
        }
        return current.Username == username && current.Name == name
            ? ToInfo()
            : await SaveAsync(current with { Username = username, Name = name, UpdateTime = now });
    }

    /// <remarks>A disabled user gets the answer of a wrong password: the answer tells nothing about the account.</remarks>
    public Task<UserInfo> VerifyPasswordAsync(string password)
    {
        if (!state.State.Exists || state.State.SignInFuncId is not null || !PasswordHasher.Verify(password, state.State.PasswordHash)
            || state.State.IsDisabled)
        {
            throw new DffException(ErrorKind.BadPassword, null, "Invalid username or password");
        }
        return Task.FromResult(ToInfo());
    }

    public async Task ChangePasswordAsync(string currentPassword, string newPassword)
    {
        RequireExists();
        RequireOwnAccount();
        if (!PasswordHasher.Verify(currentPassword, state.State.PasswordHash))
        {
            throw new DffException(ErrorKind.BadPassword, "WrongCurrentPassword", "The current password is wrong");
        }
        UserRules.RequireValidPassword("newPassword", newPassword);
        // Every session of the old password ends (one on a stolen laptop, too); the caller gets a new one.
        var now = clock.GetUtcNow();
        await SaveAsync(state.State with { PasswordHash = PasswordHasher.Hash(newPassword), SessionsValidFrom = now, UpdateTime = now });
    }

    public async Task<UserInfo> UpdateProfileAsync(ProfileChange change)
    {
        RequireExists();
        RequireOwnAccount();
        UserRules.RequireValidProfile(change);
        return await SaveAsync(state.State with
        {
            Name = change.Name ?? state.State.Name,
            Email = change.Email ?? state.State.Email,
            UpdateTime = clock.GetUtcNow(),
        });
    }

    /// <summary>A preference of the console, not the profile: an account of a sign-in func may choose it too.</summary>
    public async Task<UserInfo> SetLanguageAsync(ConsoleLanguage? language)
    {
        RequireExists();
        return await SaveAsync(state.State with { Language = language });
    }

    public async Task<UserInfo> UpdateAsync(UserChange change, Actor actor)
    {
        RequireExists();
        UserRules.RequireValidProfile(new ProfileChange(change.Name, change.Email));
        if (change.Password is not null)
        {
            RequireOwnAccount();
            UserRules.RequireValidPassword("password", change.Password);
        }
        var current = state.State;
        var disables = change.IsDisabled == true && !current.IsDisabled;
        var demotes = change.Role is { } role && role != UserRole.Admin && current.Role == UserRole.Admin;
        if (disables || demotes)
        {
            var firstAdminId = await GrainFactory.GetGrain<IUserDirectoryGrain>(IUserDirectoryGrain.Key).GetFirstAdminIdAsync();
            if (Id == firstAdminId)
            {
                throw DffException.Condition("FirstAdmin", "The first administrator cannot be disabled or demoted", new { id = Id });
            }
            if (Id == actor.UserId)
            {
                throw DffException.Condition("OwnAccount", "You cannot disable or demote yourself; ask another administrator",
                    new { id = Id });
            }
        }
        var now = clock.GetUtcNow();
        var endsSessions = disables || change.Password is not null;
        return await SaveAsync(current with
        {
            Name = change.Name ?? current.Name,
            Email = change.Email ?? current.Email,
            Role = change.Role ?? current.Role,
            IsDisabled = change.IsDisabled ?? current.IsDisabled,
            PasswordHash = change.Password is null ? current.PasswordHash : PasswordHasher.Hash(change.Password),
            SessionsValidFrom = endsSessions ? now : current.SessionsValidFrom,
            UpdateTime = now,
        });
    }

    public Task<Actor> AuthorizeSessionAsync(DateTimeOffset sessionStart)
    {
        var s = state.State;
        if (!s.Exists || s.IsDisabled || sessionStart < s.SessionsValidFrom)
        {
            throw new DffException(ErrorKind.NotSignedIn, null, "This sign-in was ended by an administrator; sign in again");
        }
        return Task.FromResult(ToInfo().AsActor());
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

    /// <summary>403.21 for an account whose password and profile live in the system its sign-in func asks.</summary>
    private void RequireOwnAccount()
    {
        if (state.State.SignInFuncId is { } funcId)
        {
            throw DffException.Condition("SignedInThroughFunc",
                $"This account signs in through func '{funcId}': change its password and profile in the system that func asks",
                new { id = Id, signInFuncId = funcId });
        }
    }

    private UserInfo ToInfo()
    {
        var s = state.State;
        return new UserInfo(Id, s.Username, s.Name, s.Email, s.Role, s.IsDisabled, s.CreateTime, s.UpdateTime, s.SignInFuncId, s.Language);
    }
}
