<?php

namespace App\Http\Controllers;

use App\Models\Photo;

class PhotoCommentController extends Controller
{
    public function index(Photo $photo)
    {
        return $photo->comments;
    }

    public function store(Photo $photo)
    {
        return $photo->comments()->create(request()->all());
    }
}
