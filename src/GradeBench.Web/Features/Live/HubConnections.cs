using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace GradeBench.Web.Features.Live;

/// <summary>The hub connections open on this server and whose they are, so that a revocation can take a user's
/// connections out of a study's groups, or end them, at once. Keeping the <see cref="HubCallerContext"/> to abort it
/// later is what the SignalR team suggests for one server
/// (https://github.com/dotnet/aspnetcore/issues/5333); with several servers this would travel over the backplane.</summary>
public sealed class HubConnections
{
    readonly ConcurrentDictionary<string, (long UserId, HubCallerContext Context)> _open = new();

    public void Add(HubCallerContext context, long userId) => _open[context.ConnectionId] = (userId, context);

    public void Remove(string connectionId) => _open.TryRemove(connectionId, out _);

    public IReadOnlyList<HubCallerContext> Of(long userId) =>
        _open.Values.Where(c => c.UserId == userId).Select(c => c.Context).ToList();
}
