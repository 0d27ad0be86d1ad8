/** The examples gallery, for the app (which reaches core/engine only through the bridge). */
export { GALLERY, galleryExample, type GalleryExample } from '../core/engine/examples/gallery.ts';
