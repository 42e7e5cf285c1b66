using GradeBench.Core.Studies;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GradeBench.Web.Features.Grading;

/// <summary>What the grading API's endpoints share, those of single answers (<see cref="GradingEndpoints"/>) and those
/// of side-by-side pairs (<see cref="PairEndpoints"/>): their route group, who may call them, and the refusals they
/// give alike. docs/api.md.</summary>
static class GradingApi
{
    /// <summary>The group under <c>/api/studies/{id}</c> that a rater calls with a bearer API token or the sign-in cookie.</summary>
    public static RouteGroupBuilder MapStudyApi(this IEndpointRouteBuilder app) => app.MapGroup("/api/studies/{id:long}")
        .RequireAuthorization(AccountServices.ApiPolicy)
        // Bearer requests carry no cookie to forge, and a cross-site JSON PUT needs a CORS preflight this app never
        // grants, so antiforgery tokens (made for HTML forms) have nothing to add here.
        .DisableAntiforgery()
        .WithTags("Grading");

    /// <summary>The caller's membership when they are a rater or a judge of the study; else the answer to give: 404 when the
    /// study does not exist, 403 when the caller is not one of its raters (administrators and coordinators included).</summary>
    public static async Task<(StudyMembership? Membership, ProblemHttpResult? Refusal)> RaterAsync(long studyId, long userId, StudyQuery studies, CancellationToken ct)
    {
        var membership = await studies.MembershipAsync(studyId, userId, ct);
        if (membership is not null && StudyRoles.Rates(membership.Role)) return (membership, null);
        if (membership is null && !await studies.ExistsAsync(studyId, ct))
            return (null, TypedResults.Problem($"There is no study {studyId}.", statusCode: StatusCodes.Status404NotFound));
        return (null, NotRater());
    }

    // The typed results name the success and validation answers; these are the refusals the endpoints share.
    public static RouteHandlerBuilder ProducesRefusals(this RouteHandlerBuilder endpoint) => endpoint
        .Produces(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>Programs read these: each problem in English (a message's ToString).</summary>
    public static ValidationProblem Invalid<TProblem>(IReadOnlyDictionary<string, TProblem> problems) where TProblem : notnull =>
        TypedResults.ValidationProblem(problems.ToDictionary(p => p.Key, p => new[] { p.Value.ToString()! }));

    public static ProblemHttpResult NotRater() =>
        TypedResults.Problem("You are not a rater in this study.", statusCode: StatusCodes.Status403Forbidden);

    /// <param name="what">What cannot be changed: <c>ratings</c>, <c>votes</c>.</param>
    public static ProblemHttpResult NotOpen(string state, string what) =>
        TypedResults.Problem($"The study is {state}; {what} can only be changed while it is open.", statusCode: StatusCodes.Status409Conflict);

    /// <summary>The caller asked the endpoints of one design of a study of the other: a script written for single
    /// answers would otherwise read an empty queue of a side-by-side study as nothing to do.</summary>
    public static ProblemHttpResult OtherDesign(long studyId, bool pairwise) => pairwise
        ? TypedResults.Problem(
            $"Study {studyId} is a side-by-side study: its raters compare pairs of answers. Use GET /api/studies/{studyId}/pairs and PUT /api/studies/{studyId}/pairs/{{pair}}/vote.",
            statusCode: StatusCodes.Status409Conflict, title: "A side-by-side study")
        : TypedResults.Problem(
            $"Study {studyId} grades single answers, not pairs. Use GET /api/studies/{studyId}/assignments and PUT /api/studies/{studyId}/responses/{{response}}/rating.",
            statusCode: StatusCodes.Status409Conflict, title: "A study of single answers");
}
