using System.Security.Claims;
using GradeBench.Storage.Accounts;
using GradeBench.Web.Features.Accounts;
using GradeBench.Web.Features.Live;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace GradeBench.Web.Tests;

/// <summary>Calls <see cref="StudyHub"/> methods directly, as a given user, on a hub built from the app's own services:
/// what a connection would do, without one.</summary>
static class HubCaller
{
    public static StudyHub HubAs(IServiceProvider services, User user)
    {
        var hub = ActivatorUtilities.CreateInstance<StudyHub>(services);
        hub.Context = new Caller(CurrentUser.ToPrincipal(user));
        return hub;
    }

    sealed class Caller(ClaimsPrincipal user) : HubCallerContext
    {
        public override string ConnectionId { get; } = Guid.NewGuid().ToString("N");
        public override string? UserIdentifier => user.FindFirstValue(ClaimTypes.NameIdentifier);
        public override ClaimsPrincipal User => user;
        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();
        public override IFeatureCollection Features { get; } = new FeatureCollection();
        public override CancellationToken ConnectionAborted => CancellationToken.None;
        public override void Abort() { }
    }
}
