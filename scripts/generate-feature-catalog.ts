/**
 * One-off generator of `schemas/features.json`, the NovaSuite feature catalog used by the
 * demo and the tests. The committed JSON is the source of truth: edit it directly from now
 * on; this script only records how the first version was laid out.
 *
 *   npx tsx scripts/generate-feature-catalog.ts && npx biome format --write schemas/features.json
 *
 * A leaf is written `id|Name|status|alias,alias`; omitted parts default to a title-cased
 * name, `active` and no aliases.
 */
import { writeFile } from 'node:fs/promises';

interface Group {
  readonly id: string;
  readonly name: string;
  readonly status?: string;
  readonly owner?: string;
  readonly aliases?: readonly string[];
  readonly leaves: readonly string[];
}

interface Area {
  readonly id: string;
  readonly name: string;
  readonly owner: string;
  readonly description: string;
  readonly groups: readonly Group[];
}

const AREAS: readonly Area[] = [
  {
    id: 'editor',
    name: 'Editor',
    owner: 'team-editor',
    description: 'Writing and structuring content in a document.',
    groups: [
      {
        id: 'formatting',
        name: 'Text Formatting',
        leaves: [
          'bold',
          'italic',
          'strikethrough',
          'inline_code|Inline Code',
          'highlight',
          'text_color|Text Color',
          'headings',
          'lists|Bulleted and Numbered Lists',
          'checklists',
          'quote|Block Quote',
          'clear_formatting|Clear Formatting',
        ],
      },
      {
        id: 'comments',
        name: 'Comments',
        owner: 'team-collab',
        leaves: [
          'add|Add Comment||add_comment,comment_added',
          'reply|Reply to Comment',
          'resolve|Resolve Thread',
          'reopen|Reopen Thread',
          'mention|Mention Someone||comment_mention,at_mention,mentions',
          'reactions|Emoji Reactions',
          'edit|Edit Comment',
          'delete|Delete Comment',
        ],
      },
      {
        id: 'blocks',
        name: 'Blocks',
        leaves: [
          'code_block|Code Block||code_snippet,codeblock',
          'table',
          'callout',
          'toggle|Toggle Block',
          'divider',
          'columns',
          'math|Math Equation|beta',
          'embed|Web Embed',
          'synced_block|Synced Block|beta',
        ],
      },
      {
        id: 'media',
        name: 'Media',
        leaves: [
          'image_upload|Image Upload||image_added',
          'image_resize|Image Resize',
          'video_embed|Video Embed',
          'file_attachment|File Attachment',
          'audio_clip|Audio Clip|deprecated',
          'gallery|Image Gallery',
        ],
      },
      {
        id: 'slash_menu',
        name: 'Slash Command Menu',
        leaves: [
          'open|Open Menu||slash_command,command_menu',
          'insert_block|Insert Block',
          'search_commands|Search Commands',
          'recent_commands|Recent Commands',
        ],
      },
      {
        id: 'history',
        name: 'Version History',
        leaves: [
          'view|View History',
          'restore|Restore Version||version_restore,restore_version',
          'compare|Compare Versions',
          'name_version|Name a Version',
          'undo',
          'redo',
        ],
      },
      {
        id: 'markdown',
        name: 'Markdown',
        leaves: ['paste|Paste Markdown', 'shortcuts|Markdown Shortcuts', 'copy|Copy as Markdown'],
      },
      {
        id: 'focus_mode',
        name: 'Focus Mode',
        leaves: [
          'toggle|Toggle Focus Mode',
          'typewriter_scrolling|Typewriter Scrolling|deprecated',
          'word_count|Word Count',
        ],
      },
      {
        id: 'proofing',
        name: 'Spelling and Grammar',
        leaves: [
          'spelling|Spell Check',
          'grammar|Grammar Suggestions|beta',
          'custom_dictionary|Custom Dictionary',
          'language_detection|Language Detection',
        ],
      },
    ],
  },
  {
    id: 'collaboration',
    name: 'Collaboration',
    owner: 'team-collab',
    description: 'Working on documents together, live and asynchronously.',
    groups: [
      {
        id: 'presence',
        name: 'Live Presence',
        leaves: [
          'cursors|Live Cursors||live_cursors,multiplayer_cursors',
          'avatars|Presence Avatars',
          'follow|Follow a Collaborator',
          'typing_indicator|Typing Indicator',
        ],
      },
      {
        id: 'suggestions',
        name: 'Suggestion Mode',
        leaves: [
          'enable|Suggest Edits||suggest_mode',
          'accept|Accept Suggestion',
          'reject|Reject Suggestion',
          'accept_all|Accept All Suggestions',
        ],
      },
      {
        id: 'assignments',
        name: 'Comment Assignments',
        leaves: ['assign|Assign Comment', 'reassign|Reassign Comment', 'complete|Mark Assignment Done'],
      },
      {
        id: 'chat',
        name: 'Document Chat',
        status: 'deprecated',
        leaves: [
          'open_panel|Open Chat Panel|deprecated',
          'send_message|Send Chat Message|deprecated',
          'share_selection|Share Selection in Chat|deprecated',
        ],
      },
      {
        id: 'huddles',
        name: 'Huddles',
        status: 'beta',
        leaves: [
          'start|Start Huddle|beta',
          'join|Join Huddle|beta',
          'screen_share|Share Screen|beta',
          'leave|Leave Huddle|beta',
        ],
      },
      {
        id: 'activity',
        name: 'Activity Feed',
        leaves: ['view|View Activity', 'filter|Filter Activity', 'subscribe|Follow Document Activity'],
      },
    ],
  },
  {
    id: 'sharing',
    name: 'Sharing and Publishing',
    owner: 'team-sharing',
    description: 'Giving other people access to documents, inside and outside the workspace.',
    groups: [
      {
        id: 'links',
        name: 'Share Links',
        leaves: [
          'create|Create Share Link||share_link,create_share_link',
          'copy|Copy Link',
          'expiry|Link Expiry',
          'password|Password Protection',
          'revoke|Revoke Link',
          'view_only|View-only Links',
        ],
      },
      {
        id: 'invites',
        name: 'Document Invitations',
        leaves: [
          'invite_member|Invite Member to Document',
          'invite_guest|Invite Guest',
          'resend|Resend Invitation',
          'bulk_invite|Bulk Invite',
          'request_access|Request Access',
        ],
      },
      {
        id: 'permissions',
        name: 'Page Permissions',
        leaves: [
          'change_role|Change Access Level',
          'restrict|Restrict Access',
          'inherit|Inherited Permissions',
          'transfer_ownership|Transfer Ownership',
          'access_review|Review Who Has Access',
        ],
      },
      {
        id: 'publishing',
        name: 'Publish to Web',
        leaves: [
          'publish|Publish Page',
          'unpublish|Unpublish Page',
          'custom_domain|Custom Domain',
          'seo_settings|SEO Settings',
          'site_analytics|Site Analytics|beta',
        ],
      },
      {
        id: 'export',
        name: 'Export',
        leaves: [
          'pdf|Export to PDF||pdf_export,export_pdf',
          'docx|Export to Word',
          'markdown|Export to Markdown',
          'html|Export to HTML',
          'workspace|Export Entire Workspace',
        ],
      },
      {
        id: 'embeds',
        name: 'Embed Documents',
        leaves: [
          'embed_code|Copy Embed Code',
          'oembed|oEmbed Preview|deprecated',
          'embed_settings|Embed Settings',
        ],
      },
    ],
  },
  {
    id: 'library',
    name: 'Document Library',
    owner: 'team-library',
    description: 'Creating, organising and finding your way around documents.',
    groups: [
      {
        id: 'documents',
        name: 'Documents',
        leaves: [
          'create|Create Document||new_doc,doc_created,create_doc',
          'duplicate|Duplicate Document',
          'rename|Rename Document',
          'move|Move Document',
          'archive|Archive Document',
          'trash|Move to Trash',
          'restore|Restore from Trash',
          'favorite|Add to Favorites',
        ],
      },
      {
        id: 'folders',
        name: 'Folders',
        leaves: [
          'create|Create Folder',
          'rename|Rename Folder',
          'move|Move Folder',
          'nest|Nested Folders',
          'color|Folder Color',
        ],
      },
      {
        id: 'sidebar',
        name: 'Sidebar',
        leaves: [
          'collapse|Collapse Sidebar',
          'reorder|Reorder Pages',
          'pin|Pin Page',
          'recent|Recent Pages',
          'favorites|Favorites Section',
        ],
      },
      {
        id: 'import',
        name: 'Import',
        leaves: [
          'docx|Import Word Documents',
          'markdown|Import Markdown',
          'google_docs|Import Google Docs',
          'confluence|Import from Confluence',
          'notion|Import from Notion',
          'csv|Import CSV as Table',
        ],
      },
      {
        id: 'offline',
        name: 'Offline Access',
        leaves: ['enable|Make Available Offline', 'sync|Offline Sync', 'conflicts|Resolve Sync Conflicts'],
      },
      {
        id: 'trash',
        name: 'Trash',
        leaves: ['view|View Trash', 'empty|Empty Trash', 'auto_purge|Auto-purge Settings'],
      },
      {
        id: 'tags',
        name: 'Tags',
        leaves: ['add|Add Tag', 'remove|Remove Tag', 'filter|Filter by Tag', 'manage|Manage Tags'],
      },
    ],
  },
  {
    id: 'templates',
    name: 'Templates',
    owner: 'team-growth',
    description: 'Starting documents from proven structures.',
    groups: [
      {
        id: 'gallery',
        name: 'Template Gallery',
        leaves: [
          'browse|Browse Gallery',
          'preview|Preview Template',
          'use|Use Template||use_template,template_applied',
          'categories|Browse Categories',
          'search|Search Templates',
        ],
      },
      {
        id: 'custom',
        name: 'Custom Templates',
        leaves: [
          'create|Save as Template',
          'edit|Edit Template',
          'share|Share Template with Workspace',
          'delete|Delete Template',
          'set_default|Set Default Template',
        ],
      },
      {
        id: 'variables',
        name: 'Template Variables',
        status: 'beta',
        leaves: [
          'insert|Insert Variable|beta',
          'date|Date Variable|beta',
          'fill_prompts|Fill-in Prompts|beta',
        ],
      },
      {
        id: 'recurring',
        name: 'Recurring Documents',
        leaves: [
          'schedule|Schedule Recurring Document',
          'skip|Skip Occurrence',
          'edit_schedule|Edit Schedule',
        ],
      },
      {
        id: 'starter_kits',
        name: 'Starter Kits',
        leaves: [
          'onboarding|Onboarding Kit',
          'meeting_notes|Meeting Notes Kit',
          'project_plan|Project Plan Kit',
          'team_wiki|Team Wiki Kit',
          'roadmap|Roadmap Kit',
        ],
      },
    ],
  },
  {
    id: 'search',
    name: 'Search',
    owner: 'team-search',
    description: 'Finding documents, people and answers.',
    groups: [
      {
        id: 'quick_find',
        name: 'Quick Find',
        leaves: [
          'open|Open Quick Find||cmd_k,quick_search,quickfind',
          'jump|Jump to Result',
          'recent|Recent Searches|deprecated',
        ],
      },
      {
        id: 'full_text',
        name: 'Full-text Search',
        leaves: [
          'query|Run Search',
          'filters|Search Filters',
          'sort|Sort Results',
          'scope|Search in Folder',
          'operators|Search Operators',
        ],
      },
      {
        id: 'in_document',
        name: 'Find in Document',
        leaves: [
          'find|Find',
          'replace|Find and Replace',
          'match_case|Match Case',
          'regex|Regular Expression Search',
        ],
      },
      {
        id: 'saved',
        name: 'Saved Searches',
        leaves: [
          'save|Save Search',
          'run|Run Saved Search',
          'share|Share Saved Search',
          'alerts|Search Alerts|beta',
        ],
      },
      {
        id: 'semantic',
        name: 'Semantic Search',
        status: 'beta',
        leaves: [
          'ask|Ask in Natural Language|beta',
          'related|Related Documents|beta',
          'feedback|Result Feedback|beta',
        ],
      },
    ],
  },
  {
    id: 'tasks',
    name: 'Tasks and Projects',
    owner: 'team-work',
    description: 'Planning and tracking work next to the documents it comes from.',
    groups: [
      {
        id: 'tasks',
        name: 'Tasks',
        leaves: [
          'create|Create Task||new_task,task_created',
          'assign|Assign Task',
          'complete|Complete Task',
          'due_date|Set Due Date',
          'priority|Set Priority',
          'subtasks|Subtasks',
          'recurring|Recurring Task',
          'dependencies|Task Dependencies|beta',
        ],
      },
      {
        id: 'projects',
        name: 'Projects',
        leaves: [
          'create|Create Project',
          'archive|Archive Project',
          'milestones|Milestones',
          'status_update|Post Status Update',
          'timeline|Project Timeline',
        ],
      },
      {
        id: 'boards',
        name: 'Kanban Boards',
        leaves: [
          'create|Create Board',
          'move_card|Move Card||kanban_move,card_moved',
          'swimlanes|Swimlanes',
          'wip_limits|Work-in-progress Limits',
          'card_cover|Card Cover Image',
        ],
      },
      {
        id: 'sprints',
        name: 'Sprints',
        leaves: [
          'plan|Plan Sprint',
          'start|Start Sprint',
          'complete|Complete Sprint',
          'burndown|Burndown Chart',
          'velocity|Velocity Report',
        ],
      },
      {
        id: 'my_tasks',
        name: 'My Tasks',
        leaves: [
          'view|View My Tasks',
          'filter|Filter My Tasks',
          'snooze|Snooze Task',
          'reorder|Reorder My Tasks',
        ],
      },
      {
        id: 'time_tracking',
        name: 'Time Tracking',
        status: 'beta',
        leaves: [
          'start_timer|Start Timer|beta',
          'stop_timer|Stop Timer|beta',
          'log_time|Log Time Manually|beta',
          'timesheet|Timesheet|beta',
        ],
      },
    ],
  },
  {
    id: 'databases',
    name: 'Databases',
    owner: 'team-data',
    description: 'Structured data inside documents: tables, views and forms.',
    groups: [
      {
        id: 'tables',
        name: 'Tables',
        leaves: [
          'create|Create Database',
          'add_row|Add Row',
          'add_property|Add Property',
          'sort|Sort Rows',
          'filter|Filter Rows',
          'group_by|Group Rows',
          'formula|Formula Property',
          'rollup|Rollup Property',
          'relation|Relation Property',
        ],
      },
      {
        id: 'views',
        name: 'Database Views',
        leaves: [
          'table|Table View',
          'board|Board View||kanban_view',
          'calendar|Calendar View',
          'gallery|Gallery View',
          'timeline|Timeline View',
          'list|List View',
          'chart|Chart View|beta',
        ],
      },
      {
        id: 'forms',
        name: 'Forms',
        leaves: [
          'create|Create Form',
          'share|Share Form',
          'submit|Submit Form Response',
          'conditional_logic|Conditional Logic',
          'response_alerts|Response Notifications',
        ],
      },
      {
        id: 'automations',
        name: 'Database Automations',
        leaves: [
          'create|Create Automation',
          'run|Automation Run',
          'edit|Edit Automation',
          'pause|Pause Automation',
          'history|Run History',
        ],
      },
      {
        id: 'data_transfer',
        name: 'Data Import and Export',
        leaves: [
          'csv_import|Import CSV',
          'csv_export|Export CSV',
          'excel_import|Import Excel',
          'api_sync|Sync via API',
        ],
      },
    ],
  },
  {
    id: 'ai',
    name: 'AI Assistant',
    owner: 'team-ai',
    description: 'Nova, the writing and question-answering assistant.',
    groups: [
      {
        id: 'writer',
        name: 'AI Writer',
        leaves: [
          'draft|Draft with AI||ai_draft,magic_write',
          'continue|Continue Writing',
          'rewrite|Rewrite Selection',
          'shorten|Make Shorter',
          'expand|Make Longer',
          'tone|Change Tone',
          'fix_grammar|Fix Spelling and Grammar',
          'translate|Translate',
        ],
      },
      {
        id: 'summarize',
        name: 'Summaries',
        leaves: [
          'document|Summarize Document||ai_summary,tldr',
          'thread|Summarize Comment Thread',
          'meeting_notes|Summarize Meeting Notes',
          'action_items|Extract Action Items',
        ],
      },
      {
        id: 'ask',
        name: 'Ask Nova',
        leaves: [
          'question|Ask a Question',
          'sources|Show Sources',
          'follow_up|Ask a Follow-up',
          'feedback|Rate an Answer',
        ],
      },
      {
        id: 'autofill',
        name: 'Database Autofill',
        status: 'beta',
        leaves: ['column|AI Column|beta', 'classify|Auto-classify Rows|beta', 'extract|Extract Fields|beta'],
      },
      {
        id: 'images',
        name: 'AI Images',
        status: 'beta',
        leaves: [
          'generate|Generate Image|beta',
          'edit|Edit Image with AI|beta',
          'alt_text|Generate Alt Text|beta',
        ],
      },
      {
        id: 'settings',
        name: 'AI Settings',
        leaves: ['enable|Enable AI for Workspace', 'data_controls|AI Data Controls', 'usage|AI Usage Report'],
      },
    ],
  },
  {
    id: 'integrations',
    name: 'Integrations',
    owner: 'team-platform',
    description: 'Connecting NovaSuite to the tools teams already use.',
    groups: [
      {
        id: 'slack',
        name: 'Slack',
        leaves: [
          'connect|Connect Slack',
          'unfurl|Link Unfurls||slack_unfurl',
          'notifications|Slack Notifications',
          'share_to_channel|Share to Channel',
          'create_from_message|Create Document from Message',
        ],
      },
      {
        id: 'google',
        name: 'Google Workspace',
        leaves: [
          'drive_embed|Google Drive Embed',
          'calendar_sync|Calendar Sync',
          'sign_in|Sign in with Google',
          'sheets_embed|Google Sheets Embed',
        ],
      },
      {
        id: 'microsoft',
        name: 'Microsoft 365',
        leaves: [
          'teams_app|Microsoft Teams App',
          'onedrive_embed|OneDrive Embed',
          'outlook_addin|Outlook Add-in',
        ],
      },
      {
        id: 'github',
        name: 'GitHub',
        leaves: [
          'connect|Connect GitHub',
          'link_pr|Link Pull Request',
          'issue_sync|Issue Sync',
          'code_embed|Code Embed',
        ],
      },
      {
        id: 'jira',
        name: 'Jira',
        leaves: ['connect|Connect Jira', 'issue_embed|Jira Issue Embed', 'two_way_sync|Two-way Sync'],
      },
      {
        id: 'figma',
        name: 'Figma',
        leaves: ['embed|Figma Embed', 'live_preview|Live Preview'],
      },
      {
        id: 'api',
        name: 'Public API',
        leaves: [
          'create_token|Create API Token',
          'revoke_token|Revoke API Token',
          'webhooks|Webhooks',
          'rate_limits|Rate Limit Dashboard',
        ],
      },
      {
        id: 'zapier',
        name: 'Zapier',
        leaves: ['connect|Connect Zapier', 'trigger|Zap Trigger', 'action|Zap Action'],
      },
      {
        id: 'marketplace',
        name: 'App Marketplace',
        leaves: ['browse|Browse Apps', 'install|Install App', 'uninstall|Uninstall App', 'review|Review App'],
      },
    ],
  },
  {
    id: 'notifications',
    name: 'Notifications',
    owner: 'team-engagement',
    description: 'Keeping people informed of what needs their attention.',
    groups: [
      {
        id: 'inbox',
        name: 'Inbox',
        leaves: [
          'open|Open Inbox||open_notifications,bell_click',
          'mark_read|Mark as Read',
          'archive|Archive Notification',
          'filter|Filter Inbox',
          'snooze|Snooze Notification',
        ],
      },
      {
        id: 'email',
        name: 'Email Notifications',
        leaves: [
          'digest|Daily Digest',
          'instant|Instant Emails',
          'unsubscribe|Unsubscribe',
          'reply_by_email|Reply by Email',
        ],
      },
      {
        id: 'push',
        name: 'Push Notifications',
        leaves: [
          'enable|Enable Push',
          'open|Open Push Notification',
          'quiet_hours|Quiet Hours',
          'badge|Badge Count',
        ],
      },
      {
        id: 'reminders',
        name: 'Reminders',
        leaves: [
          'create|Create Reminder',
          'snooze|Snooze Reminder',
          'dismiss|Dismiss Reminder',
          'due_date|Due Date Reminders',
        ],
      },
      {
        id: 'preferences',
        name: 'Notification Preferences',
        leaves: [
          'per_document|Per-document Settings',
          'channels|Delivery Channels',
          'mute|Mute Document',
          'follow|Follow Document',
        ],
      },
    ],
  },
  {
    id: 'admin',
    name: 'Administration',
    owner: 'team-admin',
    description: 'Running a workspace: members, security, billing and compliance.',
    groups: [
      {
        id: 'members',
        name: 'Member Management',
        leaves: [
          'invite|Invite Members',
          'remove|Remove Member',
          'change_role|Change Member Role',
          'deactivate|Deactivate Member',
          'groups|User Groups',
          'scim|Directory Sync (SCIM)',
        ],
      },
      {
        id: 'security',
        name: 'Security',
        leaves: [
          'saml|SAML Single Sign-on||saml_sso',
          'two_factor|Enforce Two-factor Authentication',
          'session_timeout|Session Timeout',
          'ip_allowlist|IP Allowlist',
          'audit_log|Audit Log',
          'data_residency|Data Residency|beta',
        ],
      },
      {
        id: 'billing',
        name: 'Billing',
        leaves: [
          'view_plan|View Plan',
          'upgrade|Upgrade Plan||upgrade_clicked',
          'downgrade|Downgrade Plan',
          'payment_method|Update Payment Method',
          'invoices|Download Invoices',
          'seats|Manage Seats',
        ],
      },
      {
        id: 'settings',
        name: 'Workspace Settings',
        leaves: [
          'rename|Rename Workspace',
          'branding|Custom Branding',
          'default_permissions|Default Permissions',
          'domains|Verified Domains',
          'delete|Delete Workspace',
        ],
      },
      {
        id: 'analytics',
        name: 'Workspace Analytics',
        leaves: [
          'usage_dashboard|Usage Dashboard',
          'member_activity|Member Activity',
          'content_insights|Content Insights',
          'export|Export Analytics',
        ],
      },
      {
        id: 'compliance',
        name: 'Compliance',
        leaves: [
          'retention|Retention Policies',
          'legal_hold|Legal Hold',
          'ediscovery|eDiscovery Export',
          'dlp|Data Loss Prevention|beta',
        ],
      },
    ],
  },
];

interface FeatureEntry {
  id: string;
  name: string;
  parent: string | null;
  owner: string;
  status: string;
  description?: string;
  aliases: string[];
}

const titleCase = (id: string): string =>
  id
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');

const features: FeatureEntry[] = [];
for (const area of AREAS) {
  features.push({
    id: area.id,
    name: area.name,
    parent: null,
    owner: area.owner,
    status: 'active',
    description: area.description,
    aliases: [],
  });
  for (const group of area.groups) {
    const groupId = `${area.id}.${group.id}`;
    features.push({
      id: groupId,
      name: group.name,
      parent: area.id,
      owner: group.owner ?? area.owner,
      status: group.status ?? 'active',
      aliases: [...(group.aliases ?? [])],
    });
    for (const leaf of group.leaves) {
      const [id = '', name, status, aliases] = leaf.split('|');
      features.push({
        id: `${groupId}.${id}`,
        name: name || titleCase(id),
        parent: groupId,
        owner: group.owner ?? area.owner,
        status: status || 'active',
        aliases: aliases ? aliases.split(',') : [],
      });
    }
  }
}

const catalog = {
  product: 'NovaSuite',
  description:
    'Feature catalog of NovaSuite, a documents, editor and collaboration SaaS. Ids are dotted paths (area.group.feature); aliases map legacy names older clients still send to the canonical id.',
  features,
};
await writeFile(
  new URL('../schemas/features.json', import.meta.url),
  `${JSON.stringify(catalog, null, 2)}\n`,
);
console.log(`wrote ${features.length} features`);
