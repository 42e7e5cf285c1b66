using GradeBench.Core.Studies;
using GradeBench.Storage.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace GradeBench.Web.Features.Accounts;

public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");

        account.MapPost("/signin", async ([FromForm] string username, [FromForm] string password, [FromForm] string? returnUrl,
            HttpContext http, UserStore users, IPasswordHasher<User> hasher, SignInThrottle throttle) =>
        {
            var back = $"returnUrl={Uri.EscapeDataString(LocalOrHome(returnUrl))}";
            var checkedIn = await CheckPasswordAsync(username, password, http, users, hasher, throttle);
            if (checkedIn.User is not { } user) return Results.Redirect($"/signin?{checkedIn.Error}&{back}");
            await http.SignInAsync(CurrentUser.ToPrincipal(user));
            return Results.LocalRedirect(LocalOrHome(returnUrl));
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit).WithSignInFormLimits();

        // The one-time link printed on first run: it signs the administrator in, then asks for a password.
        account.MapGet("/link", async ([FromQuery] string? token, HttpContext http, UserStore users) =>
        {
            var userId = token is null ? null : await users.RedeemSignInTokenAsync(token);
            var user = userId is { } id ? await users.FindAsync(id) : null;
            if (user is null) return Results.Redirect("/signin?error=link");
            if (user.DisabledAt is not null) return Results.Redirect("/signin?error=disabled");
            await http.SignInAsync(CurrentUser.ToPrincipal(user));
            return Results.LocalRedirect("/account/password");
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit);

        // Changing one's password asks for the present one (someone at an unlocked screen cannot lock its owner out), and
        // a wrong one counts like a failed sign-in. Only the first-run administrator, who has none yet, is not asked.
        // Every other sign-in of the account ends; this browser stays signed in.
        account.MapPost("/password", async ([FromForm] string? current, [FromForm] string password, [FromForm] string confirmation,
            HttpContext http, UserStore users, IPasswordHasher<User> hasher, SignInThrottle throttle, RevocationFeed revocations) =>
        {
            var user = await users.FindAsync(http.User.Id());
            if (user is null) return Results.Redirect("/signin");
            if (user.PasswordHash is { } hash)
            {
                if (throttle.WaitFor(user.Username, http.Connection.RemoteIpAddress) is not null) return Results.Redirect("/account/password?error=locked");
                if (hasher.VerifyHashedPassword(user, hash, current ?? "") == PasswordVerificationResult.Failed)
                {
                    throttle.RecordFailure(user.Username, http.Connection.RemoteIpAddress);
                    return Results.Redirect("/account/password?error=current");
                }
            }
            if (password.Length < UserStore.MinimumPasswordLength) return Results.Redirect("/account/password?error=short");
            if (password != confirmation) return Results.Redirect("/account/password?error=mismatch");
            await users.SetPasswordHashAsync(user.Id, hasher.HashPassword(user, password));
            await http.SignInAsync(CurrentUser.ToPrincipal(user));
            await revocations.CheckNowAsync(CancellationToken.None);
            return Results.LocalRedirect("/?password=set");
        });

        // A set-password link an administrator handed out (new account or reset): used up only by saving the password, which
        // from then on is the only one that works; the person then signs in with it.
        account.MapPost("/set-password", async ([FromForm] string token, [FromForm] string password, [FromForm] string confirmation,
            UserStore users, IPasswordHasher<User> hasher) =>
        {
            var back = $"/account/set-password/{Uri.EscapeDataString(token)}";
            if (password.Length < UserStore.MinimumPasswordLength) return Results.Redirect(back + "?error=short");
            if (password != confirmation) return Results.Redirect(back + "?error=mismatch");
            var user = await users.SetPasswordWithLinkAsync(token, user => hasher.HashPassword(user, password));
            return Results.Redirect(user is null ? back : $"/signin?saved=password&username={Uri.EscapeDataString(user.Username)}");
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit);

        // Creating an account from an invite link: the invite, the account and the membership in one transaction.
        account.MapPost("/invite", async ([FromForm] string token, [FromForm] string username, [FromForm] string displayName,
            [FromForm] string password, [FromForm] string confirmation, HttpContext http, InviteStore invites, IPasswordHasher<User> hasher) =>
        {
            var back = $"/invite/{Uri.EscapeDataString(token)}?error=";
            username = username.Trim();
            if (!BundleReader.IsIdentifier(username) || string.IsNullOrWhiteSpace(displayName)) return Results.Redirect(back + "name");
            if (password.Length < UserStore.MinimumPasswordLength) return Results.Redirect(back + "short");
            if (password != confirmation) return Results.Redirect(back + "mismatch");
            var accepted = await invites.AcceptAsync(token, username, displayName.Trim(), user => hasher.HashPassword(user, password));
            switch (accepted.Outcome)
            {
                case InviteOutcome.UsernameTaken: return Results.Redirect(back + "taken");
                case InviteOutcome.InvalidInvite: return Results.Redirect($"/invite/{Uri.EscapeDataString(token)}");
            }
            await http.SignInAsync(CurrentUser.ToPrincipal(accepted.User!));
            return Results.LocalRedirect("/");
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit);

        account.MapInviteJoinEndpoints();

        // Signing out ends every sign-in of the account (the session version rises), so a copy of the cookie is refused
        // too, and the account's other open pages and hub connections close within seconds; "Sign out everywhere" on the
        // password page is the same, named for when a session was left open elsewhere. A form post with an antiforgery
        // token: another site cannot sign anyone out. A return address lets "Not you? Sign out" on an invite page come
        // back to the invite.
        account.MapPost("/signout", async ([FromQuery] string? returnUrl, HttpContext http, IAntiforgery antiforgery, UserStore users,
            RevocationFeed revocations) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            if (http.User.Identity?.IsAuthenticated == true) await users.EndSessionsAsync(http.User.Id());
            await http.SignOutAsync();
            await revocations.CheckNowAsync(CancellationToken.None);
            return Results.LocalRedirect(returnUrl is null ? "/signin" : LocalOrHome(returnUrl));
        });
    }

    /// <summary>Joining a study with an account one already has: signed in (a confirmation button), or signed out
    /// (the invite page's sign-in form signs in, then joins). Neither creates an account.</summary>
    static void MapInviteJoinEndpoints(this RouteGroupBuilder account)
    {
        account.MapPost("/invite/join", async ([FromForm] string token, HttpContext http, InviteStore invites) =>
            Joined(token, await invites.JoinAsync(token, http.User.Id())))
            .RequireRateLimiting(AccountServices.SignInRateLimit);

        account.MapPost("/invite/signin", async ([FromForm] string token, [FromForm] string username, [FromForm] string password,
            HttpContext http, UserStore users, IPasswordHasher<User> hasher, SignInThrottle throttle, InviteStore invites) =>
        {
            var checkedIn = await CheckPasswordAsync(username, password, http, users, hasher, throttle);
            if (checkedIn.User is not { } user) return Results.Redirect($"/invite/{Uri.EscapeDataString(token)}?account=existing&{checkedIn.Error}");
            await http.SignInAsync(CurrentUser.ToPrincipal(user));
            return Joined(token, await invites.JoinAsync(token, user.Id));
        }).AllowAnonymous().RequireRateLimiting(AccountServices.SignInRateLimit).WithSignInFormLimits();
    }

    /// <summary>A new member lands on the study; any other outcome goes back to the invite page, which says why.</summary>
    static IResult Joined(string token, InviteJoin join) => join.Outcome == JoinOutcome.Joined
        ? Results.LocalRedirect(join.Role == StudyRoles.Rater ? $"/studies/{join.StudyId}/grade" : $"/studies/{join.StudyId}/dashboard")
        : Results.Redirect($"/invite/{Uri.EscapeDataString(token)}");

    /// <summary>The password check of every sign-in form: the length of the name first, then the back-off (per name and
    /// per client address), then the hash; a disabled account is told so only once the password is right. On failure,
    /// the query string that explains it.</summary>
    static async Task<(User? User, string Error)> CheckPasswordAsync(string username, string password, HttpContext http,
        UserStore users, IPasswordHasher<User> hasher, SignInThrottle throttle)
    {
        // Before anything else: no name that long exists, so it costs no lookup, no hash and no memory.
        if (username.Length > MaxUsernameLength) return (null, "error=1");
        var address = http.Connection.RemoteIpAddress;
        if (throttle.WaitFor(username, address) is { } wait)
            return (null, $"error=locked&minutes={Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))}");
        var user = await users.FindByUsernameAsync(username.Trim());
        // An unknown name, or an account without a password, checks a stand-in hash: a failure takes as long either way.
        var hash = user?.PasswordHash ?? (StandInHash ??= hasher.HashPassword(StandIn, Guid.NewGuid().ToString()));
        if (hasher.VerifyHashedPassword(user ?? StandIn, hash, password) == PasswordVerificationResult.Failed || user?.PasswordHash is null)
        {
            throttle.RecordFailure(username, address);
            return (null, "error=1");
        }
        throttle.RecordSuccess(username);
        return user.DisabledAt is null ? (user, "") : (null, "error=disabled");
    }

    /// <summary>A sign-in form has five short fields: anything far larger is refused while the form is read (a 400 from
    /// the antiforgery check), before a megabyte of name is decoded.</summary>
    static RouteHandlerBuilder WithSignInFormLimits(this RouteHandlerBuilder endpoint) =>
        endpoint.WithFormOptions(valueCountLimit: 8, valueLengthLimit: MaxSignInFieldLength);

    /// <summary>The longest value a sign-in form field may have (a password, most likely).</summary>
    public const int MaxSignInFieldLength = 8192;

    /// <summary>The longest user name (<see cref="AccountRules.Username"/>); the sign-in forms say so with maxlength.</summary>
    public const int MaxUsernameLength = 64;

    static readonly User StandIn = new() { Username = "", DisplayName = "" };
    static string? StandInHash;

    static string LocalOrHome(string? url) => ReturnAddress.Local(url) ?? "/";
}
