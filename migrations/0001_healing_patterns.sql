-- Learned selector fixes of the healing worker: the Supabase table `healing_patterns`
-- (upstream migrations 20260107120000_healing_patterns.sql and ..150000_..git_context.sql), so the
-- dashboard's healing API reads what the worker writes. Written with IF NOT EXISTS: on a Supabase
-- database that already has the table this is a no-op. Left out on purpose: the projects(id) foreign
-- key and the row-level security policies (they need Supabase's projects and organization_members
-- tables), the healing_analytics view and find_similar_healing_patterns() (they need pg_trgm).

CREATE TABLE IF NOT EXISTS healing_patterns (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- hash of original selector + error type: the natural key the worker upserts on
    fingerprint        text NOT NULL UNIQUE,
    original_selector  text NOT NULL,
    healed_selector    text NOT NULL,
    error_type         text NOT NULL,
    success_count      integer NOT NULL DEFAULT 1 CHECK (success_count >= 0),
    failure_count      integer NOT NULL DEFAULT 0 CHECK (failure_count >= 0),
    confidence         numeric GENERATED ALWAYS AS
                           (success_count::numeric / GREATEST(success_count + failure_count, 1)) STORED,
    project_id         uuid,
    page_url           text,
    element_context    jsonb,
    metadata           jsonb DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- where the fix came from (git history, a source scan, the LLM, the KV cache)
    git_commit_sha     text,
    git_commit_message text,
    git_commit_author  text,
    git_commit_date    timestamptz,
    git_file_changed   text,
    git_line_number    integer,
    code_context       text,
    component_name     text,
    healing_source     text NOT NULL DEFAULT 'unknown'
                           CHECK (healing_source IN ('git', 'source', 'llm', 'cache', 'unknown'))
);

-- fingerprint lookups use the UNIQUE constraint's index
CREATE INDEX IF NOT EXISTS idx_healing_patterns_confidence ON healing_patterns (confidence DESC);
CREATE INDEX IF NOT EXISTS idx_healing_patterns_project ON healing_patterns (project_id);
CREATE INDEX IF NOT EXISTS idx_healing_patterns_original_selector ON healing_patterns (original_selector);
CREATE INDEX IF NOT EXISTS idx_healing_patterns_error_type ON healing_patterns (error_type);
CREATE INDEX IF NOT EXISTS idx_healing_patterns_component ON healing_patterns (component_name);
CREATE INDEX IF NOT EXISTS idx_healing_patterns_git_author ON healing_patterns (git_commit_author);
CREATE INDEX IF NOT EXISTS idx_healing_patterns_source ON healing_patterns (healing_source);

CREATE OR REPLACE FUNCTION update_healing_patterns_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER trigger_healing_patterns_updated_at
    BEFORE UPDATE ON healing_patterns
    FOR EACH ROW EXECUTE FUNCTION update_healing_patterns_updated_at();
