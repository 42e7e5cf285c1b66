using GradeBench.Storage.Accounts;

namespace GradeBench.Web.Features.Accounts;

/// <summary>Disabling and enabling accounts from the web: stored (with the administrator's standing checked in the
/// same transaction), then, for a disabling, the account's open pages and hub connections on this server are ended.</summary>
public sealed class AccountRecorder(UserStore users, RevocationFeed revocations)
{
    public async Task<AccountStatusOutcome> SetDisabledAsync(long actorId, long userId, bool disabled, CancellationToken ct = default)
    {
        var outcome = await users.SetDisabledAsync(userId, disabled, actorId, ct);
        // Stored: ending the open connections must not turn a done change into a reported failure.
        if (outcome == AccountStatusOutcome.Changed && disabled) await revocations.CheckNowAsync(CancellationToken.None);
        return outcome;
    }
}
