using System.Collections.Concurrent;
using System.Security.Claims;
using GradeBench.Storage.Accounts;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Accounts;

/// <summary>The hub connections open on this server with the sign-in each was opened with (a cookie at some session
/// version, or an API token), so that <see cref="RevocationFeed"/> can close those whose sign-in has ended: a sign-out,
/// a password change, a revoked or expired token. A connection's sign-in is fixed when it opens, like a circuit's.</summary>
public sealed class HubSignIns(UserStore users, ApiTokenStore tokens)
{
    public const string EndedMessage = "Your sign-in has ended. Sign in again.";

    readonly ConcurrentDictionary<string, HubCallerContext> _open = new();

    public void Add(HubCallerContext context) => _open[context.ConnectionId] = context;

    public void Remove(string connectionId) => _open.TryRemove(connectionId, out _);

    /// <summary>The open connections whose sign-in matches.</summary>
    public IReadOnlyList<HubCallerContext> Where(Func<ClaimsPrincipal, bool> signedIn) =>
        _open.Values.Where(c => c.User is { } user && signedIn(user)).ToList();

    /// <summary>Whether the sign-in a connection was opened with still holds: its token is live, or its cookie's session
    /// version is the account's and the account is not disabled. One read by key.</summary>
    public async Task<bool> StillHoldsAsync(HubCallerContext context)
    {
        if (context.User is not { Identity.IsAuthenticated: true } user) return false;
        if (user.ApiTokenHash() is { } hash) return await tokens.IsLiveAsync(hash, context.ConnectionAborted);
        return await users.FindSessionAsync(user.Id(), context.ConnectionAborted) is { User.DisabledAt: null } session
            && session.SessionVersion == user.SessionVersion();
    }
}

/// <summary>Checks the caller's sign-in on every hub call and when a connection opens (a sign-out or revocation between
/// the request's authentication and the connection being listed would otherwise go unseen); a call on an ended sign-in
/// is refused.</summary>
public sealed class HubSignInFilter(HubSignIns signIns) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        // Refused with the reason; RevocationFeed closes the connection within seconds (closing it here would lose the reason).
        if (!await signIns.StillHoldsAsync(invocationContext.Context)) throw new HubException(HubSignIns.EndedMessage);
        return await next(invocationContext);
    }

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        signIns.Add(context.Context);
        try
        {
            if (!await signIns.StillHoldsAsync(context.Context)) context.Context.Abort();
            await next(context);
        }
        catch
        {
            // SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync threw.
            signIns.Remove(context.Context.ConnectionId);
            throw;
        }
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        signIns.Remove(context.Context.ConnectionId);
        return next(context, exception);
    }
}
