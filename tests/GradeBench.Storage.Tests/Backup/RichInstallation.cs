using Dapper;
using GradeBench.Core.Spans;
using GradeBench.Storage.Backup;
using GradeBench.Storage.Studies;

namespace GradeBench.Storage.Tests.Backup;

/// <summary>An SQLite installation with a row in every table a copy fills: the demo study with its pilot ratings,
/// checklist marks, note labels and their criteria (DemoChecklist, DemoNotes), the side-by-side demo with votes
/// (DemoPairwise), and the web's work on them (history, flags, adjudication, calibration, alerts, highlights, note
/// passages, gold spans, judges, accounts, keys). Timestamps have microseconds, as the web writes them.</summary>
static class RichInstallation
{
    public static async Task<(long Single, long Pairwise)> FillAsync(TestDatabase db, string folder)
    {
        var importer = new StudyImporter(db.Database, db.Clock);
        var single = await importer.ImportAsync(DemoNotes.LinkCriteria(DemoNotes.AddTo(DemoChecklist.Write(Path.Combine(folder, "single")))));
        Assert.Empty(single.Errors);
        var pairwise = await importer.ImportAsync(DemoPairwise.Write(Path.Combine(folder, "pairwise"), votes: true));
        Assert.Empty(pairwise.Errors);
        var (s, p) = (single.StudyId!.Value, pairwise.StudyId!.Value);

        await using var connection = await db.Database.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var at = new DateTimeOffset(2026, 3, 1, 8, 30, 15, TimeSpan.Zero).AddTicks(1234560);
        var n = 0;
        string T() => Database.FormatTimestamp(at.AddSeconds(++n * 97).AddTicks(n * 10));
        Task<long> Scalar(string sql, object? args = null) => connection.ExecuteScalarAsync<long>(sql, args, transaction);
        async Task Run(string sql, object? args = null) => await connection.ExecuteAsync(sql, args, transaction);

        var rater = await Scalar("SELECT rater_id FROM ratings r JOIN responses x ON x.id = r.response_id WHERE x.study_id = @s ORDER BY r.id LIMIT 1", new { s });
        var pairRater = await Scalar("SELECT rater_id FROM pair_votes ORDER BY id LIMIT 1");
        var coordinator = await Scalar("""
            INSERT INTO users (username, display_name, password_hash, is_admin, created_at, last_sign_in_at, session_version, language, kind)
            VALUES ('coord', 'Dr Coördinator 协调员', 'hash', 1, @a, @b, 3, 'zh-CN', 'person') RETURNING id
            """, new { a = T(), b = T() });
        var judge = await Scalar("INSERT INTO users (username, display_name, created_at, kind) VALUES ('judge-gpt', 'GPT judge', @a, 'judge') RETURNING id", new { a = T() });
        await Run("UPDATE users SET disabled_at = @a WHERE id = @rater", new { a = T(), rater });
        await Run("INSERT INTO study_members (study_id, user_id, role, joined_at) VALUES (@s, @c, 'coordinator', @a), (@s, @j, 'judge', @b), (@p, @c, 'coordinator', @a)",
            new { s, p, c = coordinator, j = judge, a = T(), b = T() });
        await Run("UPDATE studies SET paused = 1, state_changed_at = @a WHERE id = @p", new { a = T(), p });
        await Run("INSERT INTO study_state_changes (study_id, state, paused, changed_at, changed_by) VALUES (@p, 'open', 1, @a, @c)", new { p, a = T(), c = coordinator });
        await Run("INSERT INTO sign_in_links (token_hash, user_id, created_at, expires_at, used_at, purpose) VALUES ('link1', @c, @a, @b, NULL, 'set-password')",
            new { c = coordinator, a = T(), b = T() });
        await Run("""
            INSERT INTO invites (token_hash, study_id, role, created_by, created_at, expires_at, used_at, used_by, revoked_at, revoked_by, number)
            VALUES ('invite1', @s, 'rater', @c, @a, @b, @d, @r, NULL, NULL, 1), ('invite2', @s, 'coordinator', @c, @a, @b, NULL, NULL, @d, @c, 2)
            """, new { s, c = coordinator, r = rater, a = T(), b = T(), d = T() });
        await Run("INSERT INTO api_tokens (token_hash, user_id, label, created_at, revoked_at, expires_at) VALUES ('token1', @c, 'script', @a, @b, NULL)",
            new { c = coordinator, a = T(), b = T() });
        await Run("""
            INSERT INTO credential_revocations (user_id, session_version, token_hash, recorded_at) VALUES (@c, 2, NULL, @a), (@c, NULL, 'token1', @b)
            """, new { c = coordinator, a = T(), b = T() });
        await Run("INSERT INTO account_status_changes (user_id, disabled, changed_at, changed_by) VALUES (@r, 1, @a, @c)", new { r = rater, a = T(), c = coordinator });
        await Run("INSERT INTO study_member_removals (study_id, user_id, role, removed_at, removed_by, released_assignments) VALUES (@s, @j, 'rater', @a, @c, 4)",
            new { s, j = judge, a = T(), c = coordinator });
        await Run("INSERT INTO study_role_changes (study_id, user_id, old_role, new_role, changed_at, changed_by) VALUES (@s, @c, 'rater', 'coordinator', @a, @c)",
            new { s, a = T(), c = coordinator });

        // The web's edit of a rating, with its history row.
        var rating = await Scalar("SELECT id FROM ratings WHERE rater_id = @rater ORDER BY id LIMIT 1", new { rater });
        var edited = T();
        await Run("UPDATE ratings SET value = '3', comment = 'Revised: \"dose\", line 2\nsecond line', updated_at = @a WHERE id = @id", new { a = edited, id = rating });
        await Run("INSERT INTO rating_history (rating_id, value, comment, status, source, recorded_at, recorded_by) SELECT id, value, comment, status, 'web', updated_at, rater_id FROM ratings WHERE id = @id",
            new { id = rating });

        var response = await Scalar("SELECT response_id FROM ratings WHERE id = @id", new { id = rating });
        var criterion = await Scalar("SELECT criterion_id FROM ratings WHERE id = @id", new { id = rating });
        var flag = await Scalar("INSERT INTO flags (study_id, response_id, rater_id, note, created_at, resolved_at, resolved_by) VALUES (@s, @x, @r, 'Case text cut off', @a, @b, @c) RETURNING id",
            new { s, x = response, r = rater, a = T(), b = T(), c = coordinator });
        await Run("INSERT INTO flag_replies (flag_id, author_id, body, posted_at) VALUES (@f, @c, 'Fixed, thanks', @a)", new { f = flag, c = coordinator, a = T() });
        await Run("INSERT OR IGNORE INTO adjudication_rules (criterion_id, study_id, disagreement, min_range) VALUES (@k, @s, 'range', 1.5)", new { k = criterion, s });
        await Run("INSERT OR IGNORE INTO safety_rules (criterion_id, value) SELECT id, 'severe-death' FROM criteria WHERE study_id = @s AND slug = 'harm_extent'", new { s });
        await Run("""
            INSERT INTO safety_alerts (study_id, response_id, rater_id, criterion_id, value, raised_at, acknowledged_at, acknowledged_by, acknowledgement_note, source)
            SELECT @s, @x, @r, id, 'severe-death', @a, @b, @c, 'Discussed with the rater', 'web' FROM criteria WHERE study_id = @s AND slug = 'harm_extent'
            """, new { s, x = response, r = rater, a = T(), b = T(), c = coordinator });
        var item = await Scalar("""
            INSERT INTO adjudication_items (study_id, response_id, pair_id, disagreement, safety, disagreeing_criteria, status, created_at, resolved_at, resolved_by)
            VALUES (@s, @x, NULL, 1, 1, 'consensus,overall', 'resolved', @a, @b, @c) RETURNING id
            """, new { s, x = response, a = T(), b = T(), c = coordinator });
        await Run("INSERT INTO adjudication_messages (item_id, author_id, body, posted_at) VALUES (@i, @c, 'Agree on 3?', @a)", new { i = item, c = coordinator, a = T() });
        await Run("INSERT INTO consensus_values (item_id, criterion_id, value, reason, decided_by, decided_at) VALUES (@i, @k, '3', 'Guideline', @c, @a)",
            new { i = item, k = criterion, c = coordinator, a = T() });
        await Run("INSERT INTO rating_reveals (study_id, rater_id, response_id, source, revealed_at) VALUES (@s, @r, @x, 'adjudication', @a)", new { s, r = rater, x = response, a = T() });
        var pair = await Scalar("SELECT pair_id FROM pair_votes ORDER BY id LIMIT 1");
        var pairItem = await Scalar("""
            INSERT INTO adjudication_items (study_id, response_id, pair_id, disagreement, safety, disagreeing_criteria, status, created_at)
            VALUES (@p, NULL, @pair, 1, 0, 'consensus', 'open', @a) RETURNING id
            """, new { p, pair, a = T() });
        await Run("INSERT INTO pair_consensus_votes (item_id, axis_id, choice, reason, decided_by, decided_at) SELECT @i, id, 'tie', 'Both fine', @c, @a FROM pairwise_axes WHERE study_id = @p",
            new { i = pairItem, c = coordinator, a = T(), p });
        await Run("""
            INSERT INTO pair_vote_history (vote_id, choice, status, source, recorded_at, recorded_by)
            SELECT id, choice, status, 'web', @a, rater_id FROM pair_votes WHERE pair_id = @pair
            """, new { pair, a = T() });
        await Run("INSERT INTO pair_reveals (study_id, rater_id, pair_id, revealed_at) VALUES (@p, @r, @pair, @a)", new { p, r = pairRater, pair, a = T() });

        var session = await Scalar("INSERT INTO calibration_sessions (study_id, created_by, phase, created_at, ended_at) VALUES (@s, @c, 'ended', @a, @b) RETURNING id",
            new { s, c = coordinator, a = T(), b = T() });
        var calibrationItem = await Scalar("INSERT INTO calibration_items (session_id, response_id, position, started_at, revealed_at) VALUES (@session, @x, 0, @a, @b) RETURNING id",
            new { session, x = response, a = T(), b = T() });
        await Run("UPDATE calibration_sessions SET current_item_id = @i WHERE id = @session", new { i = calibrationItem, session });
        await Run("INSERT INTO calibration_gold (item_id, criterion_id, value, set_by, set_at) VALUES (@i, @k, '4', @c, @a)", new { i = calibrationItem, k = criterion, c = coordinator, a = T() });
        await Run("INSERT INTO calibration_participants (item_id, rater_id, submitted_at) VALUES (@i, @r, @a)", new { i = calibrationItem, r = rater, a = T() });
        await Run("INSERT INTO calibration_ratings (item_id, rater_id, criterion_id, value) VALUES (@i, @r, @k, '4')", new { i = calibrationItem, r = rater, k = criterion });

        var rubricHash = new string('a', 64);
        await Run("""
            INSERT INTO judges (user_id, study_id, name, model, model_version, prompt_text, prompt_sha256, temperature, rubric_sha256, all_responses, created_at)
            VALUES (@j, @s, 'gpt', 'gpt-x', '2026-01', 'Rate it.', @h, 0.25, @h, 1, @a)
            """, new { j = judge, s, h = rubricHash, a = T() });
        await Run("""
            INSERT INTO ratings (response_id, rater_id, criterion_id, value, status, updated_at, submitted_at)
            SELECT r.response_id, @j, r.criterion_id, r.value, 'submitted', @a, @a FROM ratings r WHERE r.rater_id = @rater
            """, new { j = judge, rater, a = T() });
        await Run("INSERT INTO judge_batches (study_id, judge_id, source, started_at, ended_at, responses) VALUES (@s, @j, 'import', @a, @b, 3)", new { s, j = judge, a = T(), b = T() });

        // A highlight of an answer and a marked passage of its case's note, linked, with a gold decision on the passage.
        var (content, spanLabel) = (await connection.QuerySingleAsync<string>("SELECT content_md FROM responses WHERE id = @x", new { x = response }, transaction),
            await Scalar("SELECT id FROM span_labels WHERE study_id = @s ORDER BY position LIMIT 1", new { s }));
        var answerSpan = await Scalar("""
            INSERT INTO span_annotations (response_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, note, created_at, updated_at)
            VALUES (@x, @r, @l, 0, 12, @h, @q, 'check', @a, @b) RETURNING id
            """, new { x = response, r = rater, l = spanLabel, h = TextHash.Sha256(content), q = CodePoints.Slice(content, 0, 12), a = T(), b = T() });
        var (caseId, note) = await connection.QuerySingleAsync<(long, string)>(
            "SELECT c.id, c.presentation_md FROM cases c JOIN responses x ON x.case_id = c.id WHERE x.id = @x", new { x = response }, transaction);
        var (noteLabel, attribute) = await connection.QuerySingleAsync<(long, long)>("""
            SELECT l.id, a.id FROM note_labels l JOIN note_label_attributes a ON a.label_id = l.id
            WHERE l.study_id = @s AND a.kind = 'flag' ORDER BY l.position, a.position LIMIT 1
            """, new { s }, transaction);
        var noteSpan = await Scalar("""
            INSERT INTO note_spans (case_id, rater_id, label_id, start_code_point, end_code_point, text_sha256, quote, note, created_at, updated_at)
            VALUES (@c, @r, @l, 2, 9, @h, @q, NULL, @a, @b) RETURNING id
            """, new { c = caseId, r = rater, l = noteLabel, h = TextHash.Sha256(note), q = CodePoints.Slice(note, 2, 9), a = T(), b = T() });
        await Run("INSERT INTO note_span_attributes (note_span_id, attribute_id, value) VALUES (@n, @t, 'true')", new { n = noteSpan, t = attribute });
        await Run("INSERT INTO span_links (answer_span_id, note_span_id, created_at) VALUES (@x, @n, @a)", new { x = answerSpan, n = noteSpan, a = T() });
        var gold = await Scalar("""
            INSERT INTO gold_spans (case_id, decision, label_id, start_code_point, end_code_point, quote, text_sha256, group_span_ids, source_span_ids,
                                    source_raters, decided_by, decided_by_name, decided_at, source, imported_at, imported_by, undone_at, undone_by)
            VALUES (@c, 'accepted', @l, 2, 9, @q, @h, @g, @g, 'rater-1', @u, 'Dr Coördinator 协调员', @a, 'web', NULL, NULL, NULL, NULL) RETURNING id
            """, new { c = caseId, l = noteLabel, q = CodePoints.Slice(note, 2, 9), h = TextHash.Sha256(note), g = $"[{noteSpan}]", u = coordinator, a = T() });
        await Run("INSERT INTO gold_span_attributes (gold_span_id, attribute_id, value) VALUES (@g, @t, 'true')", new { g = gold, t = attribute });
        await Run("INSERT INTO data_protection_keys (name, xml, created_at) VALUES ('key-1', '<key id=\"1\"/>', @a)", new { a = T() });
        await transaction.CommitAsync();

        var empty = new List<string>();
        foreach (var table in (await SchemaCatalogue.ReadAsync(connection, null, sqlite: true)).Select(t => t.Name).Where(t => !DatabaseCopy.NotCopied.Contains(t)))
            if (await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}") == 0) empty.Add(table);
        Assert.Empty(empty);
        return (s, p);
    }
}
