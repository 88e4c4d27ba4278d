import { createHash } from 'node:crypto';
import type {
  MediaFile,
  Playlist,
  PlaylistEntry,
  SandboxAccount,
  SandboxAccountData,
  Template,
  TemplateElement,
  Website,
} from './model.js';
import { formatTimestamp } from './time.js';

type Schedule = Pick<
  PlaylistEntry,
  'play_rule' | 'start_date' | 'end_date' | 'remove_playlist_entry_after_end_date' | 'start_time' | 'end_time' | 'weekdays'
>;

/** The secret in the header of alice's website 5003 (`Authorization: Bearer …`). */
export const ALICE_INTRANET_SECRET = 'alice-intranet-secret';

const ALWAYS: Schedule = schedule(1, null, null, 0, null, null, 0);
const NEVER: Schedule = { ...ALWAYS, play_rule: 2 };
const SCHEDULES: Schedule[] = [
  schedule(0, '2024-02-01', '2024-12-31', 1, '08:00:00', '18:00:00', 62),
  // A window across midnight, on Saturday and Sunday.
  schedule(0, '2024-03-01', null, 0, '22:00:00', '06:00:00', 65),
  schedule(0, null, '2025-06-30', 0, null, null, 0),
];

// Storage position -> index, so that neither the stored order nor the id order is the play order.
const SHUFFLE = [3, 7, 0, 9, 5, 1, 8, 2, 6, 4];
const SEED_EPOCH = Date.UTC(2024, 0, 15, 9, 0, 0);
// Playlist -> the playlist its extra entry (index 10) nests: one plain nesting and one cycle.
const NESTED = new Map([
  [1001, 1002],
  [1019, 1020],
  [1020, 1019],
]);

/** 50 media files, 20 playlists of 10+ entries (one nesting, one nesting cycle), 3 templates. */
export function seedAlice(account: SandboxAccount): SandboxAccountData {
  const data = emptyData(account);
  for (let n = 1; n <= 50; n++) addAliceMedia(data, n);
  for (let p = 1; p <= 20; p++) {
    const playlistId = 1000 + p;
    data.playlists.push(
      playlist(account, playlistId, `Alice playlist ${pad(p)}`, p % 3 === 0 ? null : `Screens on floor ${p}`, 2000 + p * 61),
    );
    const nested = NESTED.get(playlistId);
    if (nested !== undefined) {
      data.playlistEntries.push({
        ...entry(account, 50200 + p, playlistId, 10, 3000),
        playlist_id_as_nested_playlist: nested,
        media_file_id: null,
        duration: 0,
      });
    }
    for (let position = 0; position < 10; position++) {
      const index = SHUFFLE[(position + p - 1) % 10] ?? 0;
      const ordinal = (p - 1) * 10 + index;
      data.playlistEntries.push({
        ...entry(account, 50000 + (p - 1) * 10 + position + 1, playlistId, index, 2100 + ordinal),
        ...scheduleFor(ordinal),
        media_file_id: 2001 + ((ordinal * 17) % 50),
        duration: 5 + ((ordinal * 7) % 26),
        is_sound_played: ordinal % 4 === 0 ? 1 : 0,
      });
    }
  }
  data.templates.push(
    template(account, 3001, 'Alice welcome screen', {}, [
      textElement(7001, 3001, 'Headline', 'Welcome to Alice & Co.'),
      mediaElement(7002, 3001, 'Logo', 2007),
    ]),
    template(
      account,
      3002,
      'Alice news ticker',
      {
        external_data_url: 'https://alice.example.com/news.rss',
        external_data_type: 'rss',
        external_data_cache: 300,
        external_data_mode: 1,
        background_color: '#003366',
      },
      [textElement(7003, 3002, 'Ticker', '{{title}}')],
    ),
    template(account, 3003, 'Alice menu board', { text_direction: 1, default_duration: 20 }, [
      textElement(7004, 3003, 'Title', 'قائمة الطعام'),
      mediaElement(7005, 3003, 'Dish photo', 2012),
      { ...textElement(7006, 3003, 'Footnote', 'Prices include VAT'), is_inactive: 1 },
    ]),
  );
  return data;
}

/** 5 media files, 3 playlists of 2-3 entries and 1 template, reusing alice's ids. */
export function seedBob(account: SandboxAccount): SandboxAccountData {
  const data = emptyData(account);
  addPhysicalMedia(data, 2001, 'Bob poster 01', 'image', 0, 3);
  addPhysicalMedia(data, 2002, 'Bob video 02', 'video', 0, 3);
  data.mediaFiles.push(media(account, 2003, 'Bob menu website', 0, 'Website', 5003, 3));
  data.websites.push(website(account, 5003, 'https://bob.example.org/menu', '{}'));
  addPhysicalMedia(data, 2004, 'Bob logo 04', 'image', 2005, 3);
  data.mediaFiles.push(media(account, 2005, 'Bob brochures', 0, null, null, 3));
  const playlists: [number, string, number[]][] = [
    [1001, 'Bob lobby', [2001, 2002, 2003]],
    [1002, 'Bob cafeteria', [2004, 2001]],
    [1003, 'Bob entrance', [2002, 2005, 2004]],
  ];
  let entryId = 50001;
  for (const [id, name, mediaIds] of playlists) {
    data.playlists.push(playlist(account, id, name, id === 1002 ? null : `Bob's ${name.slice(4)} screens`, 500 + id));
    // Stored last index first, so the stored order is not the play order.
    for (let index = mediaIds.length - 1; index >= 0; index--) {
      data.playlistEntries.push({
        ...entry(account, entryId++, id, index, 600 + id),
        media_file_id: mediaIds[index] ?? null,
        duration: 10 + index * 5,
      });
    }
  }
  data.templates.push(
    template(account, 3001, 'Bob welcome', { background_color: '#FFEEDD' }, [
      textElement(7001, 3001, 'Greeting', 'Hello from Bob'),
      mediaElement(7002, 3001, 'Poster', 2001),
    ]),
  );
  return data;
}

/**
 * An account of real size, as a signage team has one: 150 media files in 5 folders (the media
 * list answers 10 pages of 15), 40 playlists of 6 entries each (240, every file shown somewhere),
 * two of them also nesting another playlist, and 2 templates.
 */
export function seedCarol(account: SandboxAccount): SandboxAccountData {
  const data = emptyData(account);
  for (let n = 1; n <= 5; n++) data.mediaFiles.push(media(account, 2000 + n, `Carol folder ${pad(n)}`, 0, null, null, 3));
  for (let n = 6; n <= 150; n++) {
    const kind = n % 7 === 0 ? 'video' : 'image';
    addPhysicalMedia(data, 2000 + n, `Carol ${kind} ${String(n).padStart(3, '0')}`, kind, 2001 + (n % 5), 3);
  }
  let entryId = 60001;
  for (let p = 1; p <= 40; p++) {
    const playlistId = 1000 + p;
    data.playlists.push(
      playlist(account, playlistId, `Carol screen ${pad(p)}`, p % 4 === 0 ? null : `Branch ${p} displays`, 3000 + p * 17),
    );
    for (let index = 0; index < 6; index++) {
      const ordinal = (p - 1) * 6 + index;
      data.playlistEntries.push({
        ...entry(account, entryId++, playlistId, index, 3100 + ordinal),
        ...scheduleFor(ordinal),
        media_file_id: 2006 + (ordinal % 145),
        duration: 8 + (ordinal % 23),
      });
    }
    if (p === 1 || p === 2) {
      data.playlistEntries.push({
        ...entry(account, entryId++, playlistId, 6, 3500 + p),
        playlist_id_as_nested_playlist: playlistId + 10,
        media_file_id: null,
        duration: 0,
      });
    }
  }
  data.templates.push(
    template(account, 3001, 'Carol opening hours', {}, [textElement(7001, 3001, 'Hours', 'Mon-Fri 8-18')]),
    template(account, 3002, 'Carol offers', { background_color: '#AA0000' }, [
      textElement(7002, 3002, 'Offer', 'This week only'),
      mediaElement(7003, 3002, 'Product', 2010),
    ]),
  );
  return data;
}

/** 61 images, 40 playlists of 6 entries, each file shown somewhere (see DAVE). */
export function seedDave(account: SandboxAccount): SandboxAccountData {
  const data = emptyData(account);
  for (let n = 1; n <= 61; n++) addPhysicalMedia(data, 2000 + n, `Dave image ${String(n).padStart(3, '0')}`, 'image', 0, 3);
  let entryId = 70001;
  for (let p = 1; p <= 40; p++) {
    const playlistId = 1000 + p;
    data.playlists.push(playlist(account, playlistId, `Dave screen ${pad(p)}`, `Store ${p}`, 4000 + p * 13));
    for (let index = 0; index < 6; index++) {
      const ordinal = (p - 1) * 6 + index;
      data.playlistEntries.push({
        ...entry(account, entryId++, playlistId, index, 4100 + ordinal),
        media_file_id: 2001 + (ordinal % 61),
        duration: 10 + (ordinal % 11),
      });
    }
  }
  return data;
}

function addAliceMedia(data: SandboxAccountData, n: number): void {
  const id = 2000 + n;
  const parent = n === 2 ? 2001 : n % 4 === 0 ? 2001 : n % 4 === 3 ? 2002 : 0;
  const status = n === 10 ? 0 : n === 20 ? 1 : n === 30 ? 2 : 3;
  if (n === 1 || n === 2) {
    data.mediaFiles.push(media(data, id, `Alice folder ${pad(n)}`, parent, null, null, 3));
  } else if (n === 3) {
    data.mediaFiles.push(media(data, id, `Alice website ${pad(n)}`, parent, 'Website', 5003, 3));
    data.websites.push(
      website(data, 5003, 'https://intranet.alice.example.com/dashboard', `{"Authorization":"Bearer ${ALICE_INTRANET_SECRET}"}`),
    );
  } else if (n === 4) {
    data.mediaFiles.push(media(data, id, `Alice template ${pad(n)}`, parent, 'Template', 3001, 3));
  } else if (n === 5) {
    data.mediaFiles.push(media(data, id, `Alice content ${pad(n)}`, parent, 'Content', 6005, 3));
  } else {
    const kind = n % 5 === 0 ? 'video' : 'image';
    addPhysicalMedia(data, id, `Alice ${kind} ${pad(n)}`, kind, parent, status);
  }
}

function addPhysicalMedia(
  data: SandboxAccountData,
  id: number,
  name: string,
  kind: 'image' | 'video',
  parent: number,
  status: MediaFile['status'],
): void {
  const n = id - 2000;
  const extension = kind === 'video' ? 'mp4' : 'jpg';
  data.mediaFiles.push(media(data, id, name, parent, 'PhysicalFile', 4000 + n, status));
  data.physicalFiles.push({
    id: 4000 + n,
    status,
    original_name: `${name.toLowerCase().replaceAll(' ', '-')}.${extension}`,
    original_extension: extension,
    file_hash: hash(`${data.name}-file-${id}`),
    converted_file_hash: status === 3 ? hash(`${data.name}-converted-${id}`) : null,
    extension,
    mime_type: kind === 'video' ? 'video/mp4' : 'image/jpeg',
    file_size: 100_000 + n * 7919,
    duration: kind === 'video' ? 15 + (n % 20) : 0,
    width: 1920,
    height: 1080,
    company_id: data.companyId,
    ...stamps(data, n * 37),
  });
}

function emptyData(account: SandboxAccount): SandboxAccountData {
  return { ...account, playlists: [], playlistEntries: [], mediaFiles: [], templates: [], websites: [], physicalFiles: [] };
}

function media(
  account: SandboxAccount,
  id: number,
  name: string,
  parent: number,
  type: MediaFile['attachable_type'],
  attachableId: number | null,
  status: MediaFile['status'],
): MediaFile {
  const folder = type === null;
  return {
    id,
    name,
    status,
    media_file_id_as_parent_directory: parent,
    thumbnail_hash: folder ? null : hash(`${account.name}-thumbnail-${id}`),
    thumbnail_extension: folder ? null : 'jpg',
    thumbnail_mime_type: folder ? null : 'image/jpeg',
    attachable_type: type,
    attachable_id: attachableId,
    company_id: account.companyId,
    ...stamps(account, (id - 2000) * 37, (id % 3) * 600),
  };
}

function website(account: SandboxAccount, id: number, url: string, header: string): Website {
  return { id, url, header, company_id: account.companyId, ...stamps(account, 111) };
}

function playlist(account: SandboxAccount, id: number, name: string, comment: string | null, minute: number): Playlist {
  return { id, name, comment, company_id: account.companyId, ...stamps(account, minute, 90) };
}

function entry(account: SandboxAccount, id: number, playlistId: number, index: number, minute: number): PlaylistEntry {
  return {
    id,
    index,
    duration: 10,
    is_sound_played: 0,
    ...ALWAYS,
    playlist_id: playlistId,
    playlist_id_as_nested_playlist: null,
    media_file_id: null,
    company_id: account.companyId,
    ...stamps(account, minute),
  };
}

function schedule(
  play_rule: Schedule['play_rule'],
  start_date: string | null,
  end_date: string | null,
  remove_playlist_entry_after_end_date: Schedule['remove_playlist_entry_after_end_date'],
  start_time: string | null,
  end_time: string | null,
  weekdays: number,
): Schedule {
  return { play_rule, start_date, end_date, remove_playlist_entry_after_end_date, start_time, end_time, weekdays };
}

function scheduleFor(ordinal: number): Schedule {
  if (ordinal === 42) return NEVER;
  if (ordinal % 8 === 3) return SCHEDULES[((ordinal - 3) / 8) % SCHEDULES.length] ?? ALWAYS;
  return ALWAYS;
}

function template(account: SandboxAccount, id: number, name: string, overrides: Partial<Template>, elements: TemplateElement[]): Template {
  return {
    id,
    name,
    text_direction: 0,
    external_data_url: null,
    external_data_type: null,
    external_data_cache: 0,
    external_data_mode: 0,
    background_color: '#FFFFFF',
    width: 1920,
    height: 1080,
    width_unit: 'px',
    height_unit: 'px',
    default_duration: 30,
    company_id: account.companyId,
    ...stamps(account, id, 45),
    ...overrides,
    template_elements: elements,
  };
}

function textElement(id: number, templateId: number, name: string, text: string): TemplateElement {
  return { ...element(id, templateId, name, 'TextElement'), drawable: { text } };
}

function mediaElement(id: number, templateId: number, name: string, mediaFileId: number): TemplateElement {
  return { ...element(id, templateId, name, 'MediaFile'), drawable: { id: mediaFileId } };
}

function element(
  id: number,
  templateId: number,
  name: string,
  drawableType: TemplateElement['drawable_type'],
): Omit<TemplateElement, 'drawable'> {
  const slot = id % 3;
  return {
    id,
    template_id: templateId,
    name,
    drawable_type: drawableType,
    x: 100 + slot * 400,
    y: 80 + slot * 300,
    width: 800,
    height: 200,
    angle: 0,
    z_index: slot + 1,
    is_inactive: 0,
  };
}

// Accounts get different clocks so that equal ids never carry equal timestamps.
function stamps(account: SandboxAccount, minute: number, editedAfter = 0): { created_at: string; updated_at: string } {
  const created = SEED_EPOCH + (account.companyId * 1440 + minute) * 60_000;
  return { created_at: formatTimestamp(new Date(created)), updated_at: formatTimestamp(new Date(created + editedAfter * 60_000)) };
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
