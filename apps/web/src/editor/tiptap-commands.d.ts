// The chainable commands (toggleBold, setLink, setTextAlign...) are declared by
// the extensions that provide them; libs/editor-binding configures those
// extensions, and these imports bring their declarations into this program.
import '@tiptap/starter-kit';
import '@tiptap/extension-text-align';
