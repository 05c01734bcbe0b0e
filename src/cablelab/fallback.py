"""What a page without a running kernel shows in place of a widget: one note and one CSS class.

:mod:`cablelab.widgets` puts them on a Panel's HTML copy of its current view; :mod:`cablelab.export`
puts them on any other kernel-bound widget's fallback, and recognises a copy that already carries
them. Both import them from here, so a student reads the same sentence in a notebook and a page.
"""

NO_KERNEL_NOTE = "Interactive view: it needs a running notebook; this is its current view."
FALLBACK_CLASS = "cablelab-fallback"
