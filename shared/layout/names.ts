// The layouts a picture can use, by name (the CLI's --layout, a viewer's settings).
export const PICTURE_LAYOUTS = ['circular', 'force', 'random'] as const;
export type PictureLayout = (typeof PICTURE_LAYOUTS)[number];
