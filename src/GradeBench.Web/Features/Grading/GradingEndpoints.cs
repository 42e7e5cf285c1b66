using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using GradeBench.Core.Rubrics;
using GradeBench.Core.Studies;
using GradeBench.Storage.Grading;
using GradeBench.Storage.Pairwise;
using GradeBench.Storage.Rubrics;
using GradeBench.Storage.Studies;
using GradeBench.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using static GradeBench.Web.Features.Grading.GradingApi;

namespace GradeBench.Web.Features.Grading;

public sealed record ApiCriterion(string Id, string Label, string Type, bool Required, double? Min, double? Max,
    IReadOnlyList<CriterionOption> Options);

public sealed record ApiCase(string Title, string PresentationMd, string QuestionMd);

/// <summary>A criterion of the case's checklist: marked <c>true</c> (met) or <c>false</c>, keyed by <see cref="Id"/>
/// beside the rubric's values; <see cref="Tags"/> is left out of the JSON when there are none.</summary>
public sealed record ApiCaseCriterion(string Id, string TextMd, int Points,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Tags);

/// <summary>One assigned response, named by its handle (<see cref="Response"/>, the only name a rater gets for it);
/// <see cref="Position"/> counts from 1 in the rater's own queue order. <see cref="Model"/> is left out of the JSON
/// when the study hides models, <see cref="Checklist"/> when the case has none.</summary>
public sealed record ApiAssignment(string Response, long Position, bool Done, ApiCase Case, string ContentMd,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ApiCaseCriterion>? Checklist = null);

public sealed record ApiAssignments(long StudyId, string State, IReadOnlyList<ApiCriterion> Criteria, IReadOnlyList<ApiAssignment> Assignments);

/// <summary>Values by criterion id: JSON strings, numbers or booleans; null clears a value. <see cref="Comment"/>
/// goes to the rubric's free-text criterion <c>comment</c> when there is one, and is ignored otherwise.
/// <see cref="Explanations"/>: by criterion id, why the caller gave its value (an LLM judge's reasoning), stored beside
/// the value; null or empty clears one, and a criterion not named keeps its own.</summary>
public sealed record ApiRatingRequest(Dictionary<string, JsonElement>? Values, string? Comment,
    Dictionary<string, string?>? Explanations = null);

/// <summary>The rating as stored; <see cref="Explanations"/> is left out of the JSON when there is none.</summary>
public sealed record ApiRatingSaved(string Response, bool Done, IReadOnlyDictionary<string, string> Values,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Explanations = null);

/// <summary>The JSON API for programs that grade (an LLM judge, a site's own form): the same rules as the grading
/// page, with a bearer API token or the sign-in cookie. A study's judges (<see cref="StudyRoles.Judge"/>) use it as its
/// raters do, blinded alike. See docs/api.md.</summary>
public static class GradingEndpoints
{
    const string CommentCriterion = "comment";

    /// <summary>What <c>/openapi/v1.json</c> describes: the <c>/api</c> endpoints (the account forms are for browsers),
    /// and that they take a bearer API token.</summary>
    public static void DescribeApi(OpenApiOptions options)
    {
        options.ShouldInclude = endpoint => endpoint.RelativePath?.StartsWith("api/") == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "GradeBench grading API";
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[ApiTokenAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal API token from `gradebench token create --db FILE --user NAME`.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiTokenAuthenticationHandler.SchemeName, document)] = [] }];
            return Task.CompletedTask;
        });
    }

    public static void MapGradingEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapStudyApi();
        api.MapGet("/assignments", ListAssignmentsAsync)
            .WithSummary("The caller's assigned responses with their case, blinded as the study says, and whether each is done.")
            .ProducesRefusals()
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/responses/{response}/rating", SubmitRatingAsync)
            .WithSummary("Submits the caller's rating of an assigned response; 200 once it is durably stored. Idempotent.")
            .ProducesRefusals()
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    static async Task<Results<Ok<ApiAssignments>, ProblemHttpResult>> ListAssignmentsAsync(long id, ClaimsPrincipal user,
        StudyQuery studies, RubricQuery rubric, AssignmentQuery assignments, PairwiseStore pairs, CancellationToken ct)
    {
        var (membership, refusal) = await RaterAsync(id, user.Id(), studies, ct);
        if (membership is null) return refusal!;
        if (await pairs.IsPairwiseAsync(id, ct)) return OtherDesign(id, pairwise: true);
        var criteria = await rubric.LoadAsync(id, ct);
        var items = await assignments.ListAsync(id, user.Id(), membership.Role, ct);
        return TypedResults.Ok(new ApiAssignments(id, membership.State,
            criteria.Select(c => ToApi(c.Criterion)).ToList(),
            items.Select((i, index) => new ApiAssignment(i.Handle, index + 1, i.Done,
                new ApiCase(i.CaseTitle, i.PresentationMd, i.QuestionMd), i.ContentMd, i.Model,
                i.Checklist.Count == 0 ? null : [.. i.Checklist.Select(c => new ApiCaseCriterion(c.Id, c.TextMd, c.Points, c.Tags.Count == 0 ? null : c.Tags))])).ToList()));
    }

    static async Task<Results<Ok<ApiRatingSaved>, ValidationProblem, ProblemHttpResult>> SubmitRatingAsync(long id, string response,
        ApiRatingRequest request, ClaimsPrincipal user, StudyQuery studies, RubricQuery rubric, GradingStore grading, RatingRecorder recorder,
        PairwiseStore pairs, CancellationToken ct)
    {
        var raterId = user.Id();
        var (membership, refusal) = await RaterAsync(id, raterId, studies, ct);
        if (membership is null) return refusal!;
        if (await pairs.IsPairwiseAsync(id, ct)) return OtherDesign(id, pairwise: true);
        // Who may write is settled before what is written: a stranger learns nothing from validation messages.
        var item = await grading.LoadItemAsync(id, raterId, response, ct);
        if (item is null) return NotAssigned(response);
        if (membership.State != "open") return NotOpen(membership.State, "ratings");
        if (request.Values is null) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["values"] = ["required"] });

        // The rubric and the case's checklist, whose marks are required yes/no values keyed by their ids.
        List<Criterion> criteria = [.. (await rubric.LoadAsync(id, ct)).Select(c => c.Criterion), .. item.Checklist.Select(c => c.AsCriterion())];
        var (values, problems) = ToStoredText(request, criteria, item.Values);
        if (problems.Count > 0) return Invalid(problems);

        var result = await recorder.SaveAsync(id, raterId, item.ResponseId, values, submit: true, ct, explanations: request.Explanations);
        switch (result.Outcome)
        {
            case RatingWriteOutcome.Invalid: return Invalid(result.Problems);
            case RatingWriteOutcome.NotRater: return NotRater();
            case RatingWriteOutcome.NotAssigned: return NotAssigned(response);
            case RatingWriteOutcome.StudyNotOpen: return NotOpen("not open", "ratings");
            case RatingWriteOutcome.StudyPaused: return NotOpen("paused", "ratings");
            case RatingWriteOutcome.Frozen: return Frozen();
        }
        // SaveAsync returns after its transaction committed (synchronous=FULL): the 200 means the rating is on disk.
        var saved = await grading.LoadItemAsync(id, raterId, item.ResponseId, ct);
        return TypedResults.Ok(new ApiRatingSaved(response, saved?.Done ?? true, saved?.Values ?? item.Values,
            saved?.Explanations is { Count: > 0 } explained ? explained : null));
    }

    /// <summary>The request as the text the store keeps (canonical forms are the store's job), with one problem per
    /// bad field. Checks everything it can before writing, so one answer names every bad field; the store checks
    /// again inside its transaction.</summary>
    static (Dictionary<string, string?> Values, Dictionary<string, string> Problems) ToStoredText(
        ApiRatingRequest request, IReadOnlyList<Criterion> criteria, IReadOnlyDictionary<string, string> stored)
    {
        var values = new Dictionary<string, string?>();
        var problems = new Dictionary<string, string>();
        foreach (var (key, json) in request.Values!)
        {
            var criterion = criteria.FirstOrDefault(c => c.Id == key);
            if (criterion is null) { problems[key] = "unknown criterion"; continue; }
            if (!TryText(json, out var text)) { problems[key] = "must be a string, number, boolean or null"; continue; }
            var trimmed = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
            if (trimmed is not null && criterion.CheckValue(trimmed) is { } problem) { problems[key] = problem.ToString(); continue; }
            values[key] = text;
        }
        foreach (var (key, explanation) in request.Explanations ?? [])
        {
            if (criteria.All(c => c.Id != key)) problems.TryAdd($"explanations.{key}", "unknown criterion");
            else if (explanation?.Length > Criterion.MaxTextLength) problems.TryAdd($"explanations.{key}", $"longer than {Criterion.MaxTextLength} characters");
        }
        if (request.Comment is not null && !request.Values!.ContainsKey(CommentCriterion)
            && criteria.Any(c => c.Id == CommentCriterion && c.Type == CriterionType.Text))
            values[CommentCriterion] = request.Comment;
        foreach (var criterion in criteria.Where(c => c.Required && !problems.ContainsKey(c.Id)))
        {
            var given = values.TryGetValue(criterion.Id, out var value) ? !string.IsNullOrWhiteSpace(value) : stored.ContainsKey(criterion.Id);
            if (!given) problems[criterion.Id] = "required";
        }
        return (values, problems);
    }

    /// <summary>JSON numbers become invariant text (<c>4.0</c> is the integer <c>4</c>), booleans <c>true</c>/<c>false</c>.</summary>
    static bool TryText(JsonElement json, out string? text)
    {
        text = null;
        switch (json.ValueKind)
        {
            case JsonValueKind.String: text = json.GetString(); return true;
            case JsonValueKind.True: text = "true"; return true;
            case JsonValueKind.False: text = "false"; return true;
            case JsonValueKind.Null: return true;
            case JsonValueKind.Number when json.TryGetInt64(out var integer):
                text = integer.ToString(CultureInfo.InvariantCulture);
                return true;
            case JsonValueKind.Number when json.TryGetDouble(out var number) && double.IsFinite(number):
                text = number.ToString("R", CultureInfo.InvariantCulture);
                return true;
            default: return false;
        }
    }

    static ApiCriterion ToApi(Criterion c) =>
        new(c.Id, c.Label, c.TypeName, c.Required, c.Min, c.Max, c.Type == CriterionType.Likert ? c.Anchors : c.Options);

    // The handle is echoed only when well formed: the answer never repeats arbitrary text from the address.
    static ProblemHttpResult NotAssigned(string response) =>
        TypedResults.Problem(ResponseHandle.TryParse(response, out _) ? $"Response {response} is not assigned to you." : "No such response is assigned to you.",
            statusCode: StatusCodes.Status403Forbidden);

    static ProblemHttpResult Frozen() => TypedResults.Problem(
        "You have seen other raters' scores for this response, so your independent rating of it is final and cannot be changed. Discuss changes in adjudication.",
        statusCode: StatusCodes.Status409Conflict, title: "Your independent rating is final");
}
