-- Ancestor pairs of the feature hierarchy, self included: editor.comments.mention has rows for itself
-- (distance 0), editor.comments (1) and editor (2). Key: (feature_id, ancestor_id).
CREATE TABLE IF NOT EXISTS curated.feature_closure (
  feature_id VARCHAR NOT NULL,
  ancestor_id VARCHAR NOT NULL,
  distance INTEGER NOT NULL
);
